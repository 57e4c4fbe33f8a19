//! Measures `scenario run` against a local static target, next to a bare
//! reqwest loop on the same target (the limit) and Hurl when it is on PATH,
//! for suites of N copies of the basic four-request flow, in one run.
//!
//!   cargo bench --bench throughput [-- --sizes 200,2500,10000 --jobs 16]
//!
//! Prints one Markdown table with wall time, requests per second, CPU per
//! request, peak RSS and time to first request, and the ratios between the
//! contenders. Needs GNU time (`/usr/bin/time`, Debian package `time`). For
//! Hurl: `cargo install hurl@8.0.1 --locked` (needs libcurl4-openssl-dev,
//! libxml2-dev, pkg-config and libclang-dev).
//!
//! Must not run under `cargo test`: it takes minutes and its numbers depend on
//! the machine.

mod flows;
mod raw;
mod target;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use flows::REQUESTS_PER_FLOW;

const SCENARIO: &str = env!("CARGO_BIN_EXE_scenario");

/// Holds what the clock, GNU time and the target saw of one command.
#[derive(Debug, Clone, Copy)]
struct Measured {
    wall: f64,
    cpu: f64,
    rss_mb: f64,
    first_request: Option<f64>,
    requests: u64,
}

/// Holds the command line's choices.
#[derive(Debug)]
struct Options {
    sizes: Vec<usize>,
    jobs: usize,
}

fn options() -> Options {
    let mut options = Options {
        sizes: vec![200, 2_500, 10_000],
        jobs: 16,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--sizes" => {
                let list = args.next().unwrap_or_default();
                options.sizes = list.split(',').filter_map(|n| n.trim().parse().ok()).collect();
            }
            "--jobs" => options.jobs = args.next().and_then(|n| n.parse().ok()).unwrap_or(16),
            // cargo bench passes --bench to every bench target.
            _ => {}
        }
    }
    options
}

fn main() {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("serve") => return target::serve(),
        Some("raw") => {
            let base = args.next().expect("raw BASE FLOWS JOBS");
            let flows = args.next().and_then(|n| n.parse().ok()).expect("a flow count");
            let jobs = args.next().and_then(|n| n.parse().ok()).expect("a task count");
            return raw::run(&base, flows, jobs);
        }
        // Leaves a suite behind, for profiling by hand.
        Some("write") => {
            let dir = PathBuf::from(args.next().expect("write DIR N"));
            let n = args.next().and_then(|n| n.parse().ok()).expect("a flow count");
            return flows::write_scenarios(&dir, n).expect("the scenario files");
        }
        _ => {}
    }
    let options = options();
    let work = tempfile::tempdir().expect("a scratch folder");
    let mut server = start_target();
    let port = read_port(&mut server);
    let base = format!("http://127.0.0.1:{port}");
    let hurl = on_path("hurl");
    println!(
        "shipped suite against the built-in mock: {:.0} ms wall (median of 5)",
        shipped_suite_millis()
    );
    println!(
        "\n| N | scenario | req/s | CPU/req | peak RSS | RSS with --report-json --junit | first request | check | raw reqwest req/s | vs raw |{}",
        if hurl {
            " hurl | hurl req/s | hurl RSS | hurl first request | vs hurl |"
        } else {
            ""
        }
    );
    println!(
        "|---|---|---|---|---|---|---|---|---|---|{}",
        if hurl { "---|---|---|---|---|" } else { "" }
    );
    for &n in &options.sizes {
        let row = measure_size(work.path(), &base, port, n, options.jobs, hurl);
        println!("{row}");
    }
    if !hurl {
        println!("\nhurl is not on PATH: `cargo install hurl@8.0.1 --locked` adds its columns.");
    }
    let _ = server.kill();
    let _ = server.wait();
}

fn measure_size(work: &Path, base: &str, port: u16, n: usize, jobs: usize, hurl: bool) -> String {
    let requests = n as u64 * REQUESTS_PER_FLOW;
    flows::write_scenarios(work, n).expect("the scenario files");
    let suite = work.join("scenarios");
    let suite = suite.to_str().expect("a UTF-8 path");
    let check = timed(port, work, SCENARIO, &["check", suite]);
    let jobs_text = jobs.to_string();
    let run_args = [
        "run",
        "--target",
        base,
        "--snapshots",
        "no",
        "--jobs",
        &jobs_text,
        suite,
    ];
    let scenario = timed(port, work, SCENARIO, &run_args);
    assert_eq!(scenario.requests, requests, "scenario sent every request");
    let json_path = work.join("report.json");
    let junit_path = work.join("report.xml");
    let mut with_reports: Vec<&str> = run_args.to_vec();
    let (json_text, junit_text) = (json_path.display().to_string(), junit_path.display().to_string());
    with_reports.extend(["--report-json", &json_text, "--junit", &junit_text]);
    let reported = timed(port, work, SCENARIO, &with_reports);
    let me = std::env::current_exe().expect("the bench's own path");
    let me = me.to_str().expect("a UTF-8 path");
    let n_text = n.to_string();
    let raw = timed(port, work, me, &["raw", base, &n_text, &jobs_text]);
    assert_eq!(raw.requests, requests, "the raw loop sent every request");
    let rate = |m: &Measured| requests as f64 / m.wall;
    let mut row = format!(
        "| {n} | {:.3} s | {:.0} | {:.0} µs | {:.0} MB | {:.0} MB | {} | {:.3} s, {:.0} MB | {:.0} | {:.2}x |",
        scenario.wall,
        rate(&scenario),
        scenario.cpu / requests as f64 * 1e6,
        scenario.rss_mb,
        reported.rss_mb,
        first(&scenario),
        check.wall,
        check.rss_mb,
        rate(&raw),
        rate(&scenario) / rate(&raw),
    );
    if hurl {
        let files = flows::write_hurl(work, n, base).expect("the hurl files");
        let mut args = vec!["--test".to_owned(), "--jobs".to_owned(), jobs_text.clone()];
        args.extend(files);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let hurl = timed(port, work, "hurl", &args);
        assert_eq!(hurl.requests, requests, "hurl sent every request");
        row.push_str(&format!(
            " {:.3} s | {:.0} | {:.0} MB | {} | {:.2}x |",
            hurl.wall,
            rate(&hurl),
            hurl.rss_mb,
            first(&hurl),
            rate(&scenario) / rate(&hurl)
        ));
    }
    row
}

fn first(measured: &Measured) -> String {
    measured
        .first_request
        .map_or_else(|| "-".to_owned(), |s| format!("{s:.3} s"))
}

fn start_target() -> Child {
    Command::new(std::env::current_exe().expect("the bench's own path"))
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .expect("the target starts")
}

fn read_port(server: &mut Child) -> u16 {
    let stdout = server.stdout.take().expect("the target's stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("the target's port");
    line.trim().parse().expect("a port number")
}

fn on_path(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Runs `program args` under GNU time in `dir`, with the target's counter
/// reset first, and reads back what both saw.
fn timed(port: u16, dir: &Path, program: &str, args: &[&str]) -> Measured {
    stats(port, "POST");
    let report: PathBuf = dir.join("time.txt");
    let started = target::now_micros();
    // Timed here rather than by GNU time, which rounds to 10 ms.
    let clock = std::time::Instant::now();
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%e %U %S %M")
        .arg("-o")
        .arg(&report)
        .arg(program)
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("GNU time at /usr/bin/time (Debian package `time`)");
    let wall = clock.elapsed().as_secs_f64();
    assert!(status.success(), "{program} {} failed: {status}", args.join(" "));
    let (requests, first_micros) = stats(port, "GET");
    let text = std::fs::read_to_string(&report).expect("GNU time's report");
    let fields: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    assert_eq!(fields.len(), 4, "GNU time's report: {text}");
    Measured {
        wall,
        cpu: fields[1] + fields[2],
        rss_mb: fields[3] / 1024.0,
        first_request: (first_micros > started).then(|| (first_micros - started) as f64 / 1e6),
        requests,
    }
}

/// Asks the target for its counter (`GET`) or resets it (`POST`).
fn stats(port: u16, method: &str) -> (u64, u64) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the target answers");
    let request = format!(
        "{method} /__stats HTTP/1.1\r\nhost: target\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).expect("a stats request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("a stats answer");
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    let value: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    (
        value["requests"].as_u64().unwrap_or(0),
        value["first_micros"].as_u64().unwrap_or(0),
    )
}

/// Times the shipped suite against the built-in mock five times and returns
/// the median wall time in milliseconds.
fn shipped_suite_millis() -> f64 {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let started = std::time::Instant::now();
            let status = Command::new(SCENARIO)
                .args(["run", "--snapshots", "no"])
                .current_dir(root)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("the shipped suite runs");
            assert!(status.success(), "the shipped suite passes");
            started.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[2]
}
