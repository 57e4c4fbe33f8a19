//! Drives the binary against an HTTPS server whose CA is made at test time
//! (trusted with `--cacert` or the environment's `ca_cert`, mutual TLS with a
//! client certificate), and through a recording proxy (`--proxy`, the
//! environment's `proxy`, `HTTP_PROXY`, which never applies to loopback),
//! and against one that speaks HTTP/2 only and sends gzip and brotli bodies.

mod support;

use serde_json::json;
use support::tls::{TlsServer, pki};
use support::tls_h2::H2Server;
use support::wire::{Reply, WireServer};
use support::{RunToEnd, root, scenario};

fn secure(url: &str) -> assert_cmd::Command {
    let mut command = scenario(&root());
    command
        .args(["run", "tests/fixtures/wire/secure.yaml"])
        .args(["--target", &format!("{url}/api")])
        .args(["--var", "client_cert_expected=true"]);
    command
}

#[test]
fn a_private_ca_and_a_client_certificate_are_used_when_given() {
    let pki = pki();
    let server = TlsServer::start(&pki, true);

    let output = secure(&server.url).ran();
    assert_eq!(output.status.code(), Some(1), "{}", output.stdout);
    assert!(output.stdout.contains("certificate"), "{}", output.stdout);
    assert!(
        output.stdout.contains("--cacert"),
        "the error says what to do:\n{}",
        output.stdout
    );

    let output = secure(&server.url).arg("--cacert").arg(&pki.ca).ran();
    assert_eq!(
        output.status.code(),
        Some(1),
        "a client certificate is required:\n{}",
        output.stdout
    );

    let output = secure(&server.url)
        .arg("--cacert")
        .arg(&pki.ca)
        .arg("--cert")
        .arg(&pki.client_cert)
        .arg("--key")
        .arg(&pki.client_key)
        .ran();
    output.assert_code(0);
    assert_eq!(*server.client_certs.lock().unwrap(), [true]);
}

#[test]
fn the_environment_names_the_certificate_files_relative_to_itself() {
    let pki = pki();
    let server = TlsServer::start(&pki, true);
    let config = pki.dir.path().join("scenario.yaml");
    std::fs::write(
        &config,
        format!(
            "environments:\n  corporate:\n    base_url: {}/api\n    ca_cert: ca.pem\n    client_cert: client.pem\n    client_key: client.key\n",
            server.url
        ),
    )
    .unwrap();
    let output = scenario(&root())
        .args(["run", "tests/fixtures/wire/secure.yaml", "--env", "corporate"])
        .arg("--config")
        .arg(&config)
        .args(["--var", "client_cert_expected=true"])
        .ran();
    output.assert_code(0);

    let output = scenario(&root())
        .args([
            "run",
            "tests/fixtures/wire/secure.yaml",
            "--cacert",
            "no/such/ca.pem",
        ])
        .args(["--target", &format!("{}/api", server.url)])
        .args(["--var", "client_cert_expected=true"])
        .ran();
    assert_eq!(output.status.code(), Some(2), "{}", output.stderr);
    assert!(
        output.stderr.contains("--cacert: no file at no/such/ca.pem"),
        "{}",
        output.stderr
    );
}

fn answering(via: &'static str) -> WireServer {
    WireServer::start(move |_| Reply::json(&json!({"via": via})))
}

fn proxied(target: &str, via: &str) -> assert_cmd::Command {
    let mut command = scenario(&root());
    command
        .args(["run", "tests/fixtures/wire/proxied.yaml", "--target", target])
        .args(["--var", &format!("via={via}")])
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    command
}

#[test]
fn requests_go_through_the_proxy_they_are_given() {
    let (proxy, direct) = (answering("proxy"), answering("direct"));
    let target = format!("{}/api", direct.url);

    let output = proxied(&target, "proxy").args(["--proxy", &proxy.url]).ran();
    output.assert_code(0);
    assert_eq!(
        proxy.requests()[0].target,
        format!("{target}/where"),
        "absolute form to the proxy"
    );

    // Proxy variables never apply to a loopback target: a local mock stays local.
    let output = proxied(&target, "direct").env("HTTP_PROXY", &proxy.url).ran();
    output.assert_code(0);
    assert_eq!(direct.requests().len(), 1);

    // Other hosts go through them; the proxy answers, so nothing leaves the machine.
    let output = proxied("http://api.example.invalid/v1", "proxy")
        .env("HTTP_PROXY", &proxy.url)
        .ran();
    output.assert_code(0);
    assert_eq!(proxy.requests()[1].target, "http://api.example.invalid/v1/where");

    let output = proxied("http://api.example.invalid/v1", "proxy")
        .env("HTTP_PROXY", &proxy.url)
        .env("NO_PROXY", "example.invalid")
        .ran();
    assert_eq!(
        output.status.code(),
        Some(1),
        "NO_PROXY skips the proxy:\n{}",
        output.stdout
    );
    assert_eq!(proxy.requests().len(), 2);
}

#[test]
fn an_environment_s_proxy_and_its_password_stay_out_of_the_output() {
    let proxy = answering("proxy");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("scenario.yaml");
    let proxy_url = proxy.url.replace("http://", "http://qa:pw-proxy-9@");
    std::fs::write(
        &config,
        format!(
            "environments:\n  office:\n    base_url: http://api.example.invalid/v1\n    proxy: {proxy_url}\n"
        ),
    )
    .unwrap();
    let output = proxied("http://api.example.invalid/v1", "nobody")
        .args(["--env", "office"])
        .arg("--config")
        .arg(&config)
        .ran();
    assert_eq!(
        output.status.code(),
        Some(1),
        "the expectation fails:\n{}",
        output.stdout
    );
    let request = &proxy.requests()[0];
    assert_eq!(
        request.header("proxy-authorization"),
        Some("Basic cWE6cHctcHJveHktOQ==")
    );
    assert!(
        output
            .stdout
            .contains("-x http://qa:\"$SECRET_PROXY_PASSWORD\"@127.0.0.1:"),
        "{}",
        output.stdout
    );
    assert!(!output.stdout.contains("pw-proxy-9"), "{}", output.stdout);
}

#[test]
fn a_plain_target_that_redirects_to_https_is_followed_over_tls() {
    // The run starts with a plain client that loads no root certificates;
    // the hop to HTTPS gets one that trusts the given CA.
    let pki = pki();
    let server = TlsServer::start(&pki, false);
    let location = format!("{}/whoami", server.url);
    let plain = WireServer::start(move |_| Reply::redirect(302, &location));
    let output = scenario(&root())
        .args(["run", "tests/fixtures/wire/to-secure.yaml"])
        .args(["--target", &format!("{}/api", plain.url)])
        .arg("--cacert")
        .arg(&pki.ca)
        .ran();
    output.assert_code(0);
    assert_eq!(*server.client_certs.lock().unwrap(), [false]);
}

#[test]
fn https_speaks_http2_and_reads_gzip_and_brotli_bodies() {
    let pki = pki();
    let server = H2Server::start(&pki);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("h2.yaml"),
        "name: compressed over HTTP/2\nsteps:\n  - name: gzip\n    get: /gzip\n    expect:\n      version: HTTP/2\n      body:\n        $.encoding: gzip\n        $.accept_encoding: { contains: gzip }\n  - name: brotli\n    get: /br\n    expect:\n      version: HTTP/2\n      body:\n        $.encoding: br\n        $.accept_encoding: { contains: br }\n",
    )
    .unwrap();
    let output = scenario(dir.path())
        .args(["run", "h2.yaml", "--target", &format!("{}/api", server.url)])
        .arg("--cacert")
        .arg(&pki.ca)
        .ran();
    output.assert_code(0);
    assert!(output.stdout.contains("1 passed, 0 failed"), "{}", output.stdout);
}
