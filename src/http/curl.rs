//! Builds the curl command line that replays a step: its method, the headers
//! it went out with, credentials as `-u` (`--digest`), bodies as
//! `--data-raw`, files as `--data-binary @path`, multipart parts as
//! `--form-string` / `-F name=@path`, redirects, the HTTP version, and the
//! run's TLS and proxy settings.
//!
//! Pure. Must not redact (the caller does) nor send anything.

use super::auth::Auth;
use super::body::{PartContent, RequestBody};
use super::client::HttpOptions;
use super::request::{HttpVersion, RequestSpec};

/// Builds a curl command line that replays `spec` as it went out with
/// `sent` headers (the caller redacts it).
#[must_use]
pub fn to_curl(spec: &RequestSpec, sent: &[(String, String)], options: &HttpOptions) -> String {
    let mut parts = vec!["curl".to_owned()];
    let multipart = matches!(spec.body, Some(RequestBody::Multipart { .. }));
    if (spec.method != "GET" || spec.body.is_some()) && !(multipart && spec.method == "POST") {
        parts.push(format!("-X {}", spec.method));
    }
    let auth_header = spec.auth.as_ref().and_then(Auth::preemptive_header);
    for (name, value) in sent {
        let lower = name.to_ascii_lowercase();
        let from_auth = lower == "authorization"
            && match &spec.auth {
                Some(Auth::Basic { .. }) => auth_header.as_deref() == Some(value.as_str()),
                Some(Auth::Digest { .. }) => true,
                _ => false,
            };
        // curl writes the multipart content type itself, with its own boundary.
        if from_auth || (multipart && lower == "content-type") {
            continue;
        }
        parts.push(format!("-H {}", shell_quote(&format!("{name}: {value}"))));
    }
    match &spec.auth {
        Some(Auth::Basic { user, password }) => {
            parts.push(format!("-u {}", shell_quote(&format!("{user}:{password}"))));
        }
        Some(Auth::Digest { user, password }) => {
            parts.push(format!(
                "--digest -u {}",
                shell_quote(&format!("{user}:{password}"))
            ));
        }
        _ => {}
    }
    match &spec.body {
        Some(RequestBody::File(file)) => parts.push(format!(
            "--data-binary {}",
            shell_quote(&format!("@{}", file.path.display()))
        )),
        Some(RequestBody::Multipart { parts: fields, .. }) => {
            for field in fields {
                parts.push(form_part(&field.name, &field.content));
            }
        }
        Some(body) => parts.push(format!("--data-raw {}", shell_quote(&body.to_text()))),
        None => {}
    }
    if spec.redirects.follow {
        let follow = if spec.redirects.trusted_hosts.is_empty() {
            "-L"
        } else {
            "--location-trusted"
        };
        parts.push(format!("{follow} --max-redirs {}", spec.redirects.max));
    }
    match spec.version {
        HttpVersion::Auto => {}
        HttpVersion::Http1 => parts.push("--http1.1".to_owned()),
        HttpVersion::Http2 => parts.push("--http2-prior-knowledge".to_owned()),
    }
    parts.extend(settings(options));
    parts.push(shell_quote(spec.url.as_str()));
    parts.join(" ")
}

/// Returns one `-F` (file) or `--form-string` (text, taken literally) argument.
fn form_part(name: &str, content: &PartContent) -> String {
    match content {
        PartContent::Text {
            value,
            content_type: None,
        } => {
            format!("--form-string {}", shell_quote(&format!("{name}={value}")))
        }
        PartContent::Text {
            value,
            content_type: Some(content_type),
        } => format!(
            "-F {}",
            shell_quote(&format!("{name}={};type={content_type}", form_quote(value)))
        ),
        PartContent::File {
            path,
            filename,
            content_type,
            ..
        } => {
            let mut arg = format!(
                "{name}=@{};type={content_type}",
                form_quote(&path.display().to_string())
            );
            if path
                .file_name()
                .is_none_or(|own| own.to_string_lossy() != *filename)
            {
                arg.push_str(&format!(";filename={}", form_quote(filename)));
            }
            format!("-F {}", shell_quote(&arg))
        }
    }
}

/// Quotes a `-F` value when curl would otherwise read `;` or `,` in it.
fn form_quote(text: &str) -> String {
    if text.contains([';', ',', '"']) {
        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        text.to_owned()
    }
}

/// Returns the run's TLS and proxy flags.
fn settings(options: &HttpOptions) -> Vec<String> {
    let mut out = Vec::new();
    if options.insecure {
        out.push("-k".to_owned());
    }
    if let Some(path) = &options.tls.ca_bundle {
        out.push(format!("--cacert {}", shell_quote(&path.display().to_string())));
    }
    if let Some(path) = &options.tls.client_cert {
        out.push(format!("--cert {}", shell_quote(&path.display().to_string())));
    }
    if let Some(path) = &options.tls.client_key {
        out.push(format!("--key {}", shell_quote(&path.display().to_string())));
    }
    if let Some(proxy) = &options.proxy.explicit {
        out.push(format!("-x {}", shell_quote(proxy)));
    }
    out
}

/// Quotes `text` for a POSIX shell.
fn shell_quote(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c))
    {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::Arc;

    use super::super::body::{FileBody, Part};
    use super::*;
    use serde_json::json;
    use url::Url;

    fn spec(method: &str, body: Option<RequestBody>) -> RequestSpec {
        let mut spec = RequestSpec::new(
            method,
            Url::parse("http://127.0.0.1:1/api/v1/login?token=abc").unwrap(),
        );
        spec.headers = vec![("x-trace".to_owned(), "it's".to_owned())];
        spec.body = body;
        spec
    }

    fn curl(spec: &RequestSpec, jar: Option<&str>) -> String {
        to_curl(spec, &spec.outgoing_headers(jar), &HttpOptions::default())
    }

    #[test]
    fn curl_replays_method_headers_body_and_url() {
        let s = spec("POST", Some(RequestBody::Json(json!({"name": "a b"}))));
        assert_eq!(
            curl(&s, Some("token=x")),
            "curl -X POST -H 'x-trace: it'\\''s' -H 'content-type: application/json' -H 'cookie: token=x' \
             --data-raw '{\"name\":\"a b\"}' 'http://127.0.0.1:1/api/v1/login?token=abc'"
        );
        assert_eq!(
            curl(&spec("GET", None), None),
            "curl -H 'x-trace: it'\\''s' 'http://127.0.0.1:1/api/v1/login?token=abc'"
        );
    }

    #[test]
    fn credentials_files_and_parts_use_curl_s_own_flags() {
        let mut s = spec("POST", None);
        s.headers.clear();
        s.auth = Some(Auth::Basic {
            user: "qa".into(),
            password: "pw".into(),
        });
        s.body = Some(RequestBody::Multipart {
            boundary: "b".into(),
            parts: vec![
                Part {
                    name: "note".into(),
                    content: PartContent::Text {
                        value: "@not-a-file".into(),
                        content_type: None,
                    },
                },
                Part {
                    name: "doc".into(),
                    content: PartContent::File {
                        path: PathBuf::from("scenarios/fixtures/a.pdf"),
                        bytes: Arc::from(&b"x"[..]),
                        filename: "a.pdf".into(),
                        content_type: "application/pdf".into(),
                    },
                },
            ],
        });
        s.redirects.follow = true;
        s.version = HttpVersion::Http2;
        assert_eq!(
            curl(&s, None),
            "curl -u qa:pw --form-string note=@not-a-file -F 'doc=@scenarios/fixtures/a.pdf;type=application/pdf' \
             -L --max-redirs 10 --http2-prior-knowledge 'http://127.0.0.1:1/api/v1/login?token=abc'"
        );
        s.auth = Some(Auth::Digest {
            user: "qa".into(),
            password: "pw".into(),
        });
        s.body = Some(RequestBody::File(FileBody {
            path: PathBuf::from("data/in put.json"),
            bytes: Arc::from(&b"{}"[..]),
            content_type: Some("application/json".into()),
        }));
        s.redirects = super::super::redirect::RedirectPolicy::default();
        s.version = HttpVersion::Http1;
        assert_eq!(
            curl(&s, None),
            "curl -X POST -H 'content-type: application/json' --digest -u qa:pw --data-binary '@data/in put.json' \
             --http1.1 'http://127.0.0.1:1/api/v1/login?token=abc'"
        );
    }
}
