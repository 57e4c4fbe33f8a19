//! Drives `scenario mock` as a user would: it prints its URL and accounts,
//! answers the documented basic flow over HTTP, and stops on Ctrl-C.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use support::interrupt;
use support::mock::{json_of, log_in};

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

    let client = support::client();
    let login = log_in(&client, &url, "mary.griffin@circularo.com", "#32Password1!").await;
    let token = login["token"].as_str().unwrap();
    let status = json_of(client.get(format!("{url}/login?token={token}&returnToken=true"))).await;
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

    interrupt(child.id());
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
