//! Drives `scenario mock` as a user would: it prints its URL and accounts,
//! answers the documented basic flow over HTTP, and stops on Ctrl-C.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread")]
async fn the_standalone_mock_serves_the_basic_flow_and_stops_on_ctrl_c() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scenario"))
        .args(["mock", "--port", "0", "--show-secrets"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let url = first.rsplit(' ').next().unwrap().to_owned();
    assert!(
        url.starts_with("http://127.0.0.1:") && url.ends_with("/api/v1"),
        "{first}"
    );
    let banner: Vec<String> = lines
        .by_ref()
        .take_while(|l| l.as_ref().is_ok_and(|l| !l.contains("Ctrl-C")))
        .map(Result::unwrap)
        .collect();
    let banner = banner.join("\n");
    assert!(
        banner.contains("mary.griffin@circularo.com") && banner.contains("#32Password1!"),
        "{banner}"
    );

    let client = reqwest::Client::new();
    let login: Value = client
        .post(format!("{url}/login"))
        .json(
            &json!({"name": "mary.griffin@circularo.com", "password": "#32Password1!", "returnToken": true}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().unwrap();
    let status: Value = client
        .get(format!("{url}/login?token={token}&returnToken=true"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["logged"], true);
    let search = client
        .post(format!("{url}/search?token={token}"))
        .json(&json!({"from": 0, "size": 10}))
        .send()
        .await
        .unwrap();
    assert_eq!(search.status(), 200);
    let logout = client
        .get(format!("{url}/logout?token={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 200);
    let wrong = client
        .post(format!("{url}/login"))
        .json(&json!({"name": "mary.griffin@circularo.com", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    drop(client);

    // Ctrl-C is SIGINT; `kill` sends it without any unsafe code here.
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the mock did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status:?}");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    assert!(rest.iter().any(|l| l == "mock stopped"), "{rest:?}");
}
