//! End-to-end tests of `airlock fetch` against a loopback HTTP(S) server
//! (tests/fetch_server) serving the real fixtures, with its fault layer.
//!
//! Every test asserts the folder it ends with: byte-identical to the fixture
//! (plus the manifests) on success, and on failure no file under a part's
//! name that is not complete. Resumes are checked against the bytes the
//! server counted, so a resumed part downloaded twice fails.

mod common;
mod fetch_server;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{NAME, Run, testdata, tree};
use fetch_server::{Fault, Server};

const SPANNED: [&str; 3] =
    ["inno-6.4.1-lzma2-solid-spanned", "inno-6.2.0-lzma2-solid-spanned", "inno-5.5.9-lzma-solid-spanned"];
const SET: &str = "inno-6.4.1-lzma2-solid-spanned";

/// Runs `airlock fetch ARGS…` in `cwd`, without proxies from the environment.
fn fetch_in(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all = vec!["fetch".to_owned(), "--retry-delay".to_owned(), "10ms".to_owned()];
    all.extend(args.iter().map(|a| a.to_string()));
    let mut command = assert_cmd::Command::cargo_bin("airlock").unwrap();
    command.current_dir(cwd).args(&all);
    for var in
        ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"]
    {
        command.env_remove(var);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    Run { args: all, output }
}

/// The set's part files in a fixture folder: name → (size, sha256).
fn parts_of(dir: &Path) -> BTreeMap<String, (u64, String)> {
    tree(dir).into_iter().filter(|(name, _)| is_part(name)).collect()
}

fn is_part(name: &str) -> bool {
    name.ends_with(".exe") || name.ends_with(".bin") || name.chars().last().is_some_and(|c| c.is_ascii_digit())
}

/// Asserts `out` holds exactly the fixture's parts, byte for byte, plus the
/// two manifests, and that the SHA256SUMS written lists the fixture's hashes.
fn assert_identical(fixture: &Path, out: &Path, set_name: &str) {
    let expected = parts_of(fixture);
    let got = tree(out);
    let mut names: Vec<&String> = got.keys().collect();
    names.sort();
    let mut want: Vec<String> = expected.keys().cloned().collect();
    want.push("SHA256SUMS".into());
    want.push(format!("{set_name}.manifest.json"));
    want.sort();
    assert_eq!(names, want.iter().collect::<Vec<_>>(), "files in {}", out.display());
    for (name, value) in &expected {
        assert_eq!(got.get(name), Some(value), "{name} differs from the fixture");
    }
    let sums = std::fs::read_to_string(out.join("SHA256SUMS")).unwrap();
    for (name, (_, sha)) in &expected {
        assert!(sums.contains(&format!("{sha}  {name}")), "SHA256SUMS lacks {name}:\n{sums}");
    }
}

/// Asserts nothing in `out` carries a part's name unless it is the complete part.
fn assert_no_incomplete_part(fixture: &Path, out: &Path) {
    let expected = parts_of(fixture);
    for (name, value) in tree(out) {
        if let Some(want) = expected.get(&name) {
            assert_eq!(&value, want, "{name} carries a part's name but is not the complete part");
        }
    }
}

fn size_of(fixture: &Path, name: &str) -> u64 {
    std::fs::metadata(fixture.join(name)).unwrap().len()
}

fn scratch() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().to_path_buf();
    (temp, path)
}

#[test]
fn each_spanned_fixture_is_fetched_from_the_installer_url_alone() {
    for fixture_name in SPANNED {
        let fixture = testdata(&format!("inno/{fixture_name}"));
        let server = Server::http(&fixture);
        let (_temp, cwd) = scratch();
        let run = fetch_in(&cwd, &[&server.url(&format!("{NAME}.exe")), "-d", "set"], &[]);
        run.expect(0).mentions(&["named by the installer's Inno Setup header", "wrote set/SHA256SUMS"]);
        assert_identical(&fixture, &cwd.join("set"), NAME);
        let state = server.state();
        for (name, (size, _)) in parts_of(&fixture) {
            assert_eq!(state.sent(&name), size, "{fixture_name}: {name} was not downloaded exactly once");
        }
        drop(state);
        // The far side's check passes on what was fetched, with the manifest written.
        common::airlock(["verify", cwd.join("set").to_str().unwrap()]).expect(0);
    }
}

#[test]
fn the_plan_lists_every_part_with_its_size_before_downloading() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let (_temp, cwd) = scratch();
    let run = fetch_in(&cwd, &[&server.url(&format!("{NAME}.exe")), "-d", "out"], &[]);
    run.expect(0);
    let stdout = run.stdout();
    let plan_line = stdout.lines().position(|l| l.contains("part(s) into out")).expect("plan line");
    for (name, (size, _)) in parts_of(&fixture) {
        let line = stdout.lines().position(|l| l.contains(&size.to_string()) && l.ends_with(&name));
        let done = stdout.lines().position(|l| l.starts_with(&format!("{name}: downloaded")));
        assert!(
            line.is_some_and(|l| l > plan_line) && done > line,
            "{name} not planned with its size first:\n{stdout}"
        );
    }
}

#[test]
fn a_second_run_downloads_nothing_and_keeps_the_folder_identical() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let (_temp, cwd) = scratch();
    let url = server.url(&format!("{NAME}.exe"));
    fetch_in(&cwd, &[&url, "-d", "out"], &[]).expect(0);
    let sent: u64 = server.state().sent.values().sum();
    let run = fetch_in(&cwd, &[&url, "-d", "out", "--json"], &[]);
    run.expect(0);
    assert_eq!(server.state().sent.values().sum::<u64>(), sent, "a complete folder was downloaded again");
    let json = run.json();
    assert!(json["parts"].as_array().unwrap().iter().all(|p| p["action"] == "already_there"), "{json}");
    assert_identical(&fixture, &cwd.join("out"), NAME);
}

#[test]
fn a_cut_connection_is_retried_from_the_byte_reached() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let slice = format!("{NAME}-2.bin");
    server.add(Fault::CutAfter { name: slice.clone(), bytes: 700_000 });
    let (_temp, cwd) = scratch();
    let run = fetch_in(&cwd, &[&server.url(&format!("{NAME}.exe")), "-d", "out", "--json"], &[]);
    run.expect(0);
    assert_identical(&fixture, &cwd.join("out"), NAME);
    let state = server.state();
    assert_eq!(state.sent(&slice), size_of(&fixture, &slice), "bytes before the cut were downloaded twice");
    let gets = state.gets(&slice);
    assert_eq!(gets.len(), 2, "{gets:?}");
    assert_eq!(gets[1].range.as_deref(), Some("bytes=700000-"));
    assert!(gets[1].if_range.as_deref().is_some_and(|v| v.starts_with('"')), "no If-Range: {gets:?}");
    let json = run.json();
    let part = json["parts"].as_array().unwrap().iter().find(|p| p["name"] == slice.as_str()).unwrap().clone();
    assert_eq!(part["retries"], 1, "{part}");
}

#[test]
fn a_503_is_retried_with_backoff() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let slice = format!("{NAME}-1.bin");
    server.add(Fault::Status { name: slice.clone(), status: 503 });
    let (_temp, cwd) = scratch();
    let run = fetch_in(&cwd, &[&server.url(&format!("{NAME}.exe")), "-d", "out", "--json"], &[]);
    run.expect(0);
    assert_identical(&fixture, &cwd.join("out"), NAME);
    let statuses: Vec<u16> = server.state().gets(&slice).iter().map(|r| r.status).collect();
    assert_eq!(statuses, [503, 200]);
    let json = run.json();
    assert!(json["parts"].as_array().unwrap().iter().any(|p| p["name"] == slice.as_str() && p["retries"] == 1));
}

#[test]
fn retries_run_out_into_exit_6_and_the_partial_part_resumes_later() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let slice = format!("{NAME}-2.bin");
    server.add(Fault::CutAfter { name: slice.clone(), bytes: 500_000 });
    let (_temp, cwd) = scratch();
    let url = server.url(&format!("{NAME}.exe"));
    let run = fetch_in(&cwd, &[&url, "-d", "out", "--retries", "0"], &[]);
    run.expect(6).mentions(&[&server.url(&slice), "run the same airlock fetch again to resume"]);
    let out = cwd.join("out");
    assert_no_incomplete_part(&fixture, &out);
    assert!(!out.join(&slice).exists() && !out.join("SHA256SUMS").exists());
    assert_eq!(std::fs::metadata(out.join(format!("{slice}.airlock-download"))).unwrap().len(), 500_000);
    let run = fetch_in(&cwd, &[&url, "-d", "out"], &[]);
    run.expect(0).mentions(&["resuming from byte 500000", &format!("{slice}: resumed (500000 byte(s) kept")]);
    assert_identical(&fixture, &out, NAME);
    assert_eq!(server.state().sent(&slice), size_of(&fixture, &slice));
}

#[test]
fn a_server_that_ignores_range_restarts_the_part_and_says_why() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let slice = format!("{NAME}-2.bin");
    server.add(Fault::CutAfter { name: slice.clone(), bytes: 600_000 });
    server.add(Fault::IgnoreRange { name: slice.clone() });
    let (_temp, cwd) = scratch();
    let run = fetch_in(&cwd, &[&server.url(&format!("{NAME}.exe")), "-d", "out"], &[]);
    run.expect(0).mentions(&[&format!("{slice} started again from zero: the server ignored the range request")]);
    assert_identical(&fixture, &cwd.join("out"), NAME);
    assert_eq!(server.state().sent(&slice), 600_000 + size_of(&fixture, &slice));
}

#[test]
fn a_changed_etag_restarts_the_part_and_says_why() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let slice = format!("{NAME}-2.bin");
    server.add(Fault::ChangeEtagAfter { name: slice.clone(), bytes: 800_000 });
    let (_temp, cwd) = scratch();
    let run = fetch_in(&cwd, &[&server.url(&format!("{NAME}.exe")), "-d", "out", "--json"], &[]);
    run.expect(0);
    let json = run.json();
    let part = json["parts"].as_array().unwrap().iter().find(|p| p["name"] == slice.as_str()).unwrap().clone();
    let reason = part["restarts"][0].as_str().unwrap_or_default().to_owned();
    assert!(reason.contains("changed on the server (ETag was"), "{part}");
    assert_identical(&fixture, &cwd.join("out"), NAME);
    let gets = server.state().gets(&slice);
    assert_eq!((gets[1].range.as_deref(), gets[1].status), (Some("bytes=800000-"), 200), "{gets:?}");
}

#[test]
fn a_404_for_one_slice_is_exit_6_naming_it_and_keeps_the_other_parts() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let slice = format!("{NAME}-3.bin");
    server.add(Fault::NotFound { name: slice.clone(), get_only: true });
    let (_temp, cwd) = scratch();
    let url = server.url(&format!("{NAME}.exe"));
    let run = fetch_in(&cwd, &[&url, "-d", "out"], &[]);
    run.expect(6).mentions(&[&format!("{}: the server answered HTTP 404", server.url(&slice))]);
    let out = cwd.join("out");
    assert_no_incomplete_part(&fixture, &out);
    assert_eq!(
        common::all_paths(&out).iter().filter(|p| is_part(p)).count(),
        3,
        "the other parts are kept: {:?}",
        common::all_paths(&out)
    );
    assert!(!out.join(&slice).exists() && !out.join("SHA256SUMS").exists());
    server.clear_faults();
    let before: u64 = server.state().sent.values().sum();
    fetch_in(&cwd, &[&url, "-d", "out"], &[]).expect(0);
    assert_identical(&fixture, &out, NAME);
    let after: u64 = server.state().sent.values().sum();
    assert_eq!(after - before, size_of(&fixture, &slice), "only the missing slice is downloaded again");
}

#[test]
fn a_404_for_the_installer_is_exit_6_and_writes_nothing() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let (_temp, cwd) = scratch();
    let run = fetch_in(&cwd, &[&server.url("Missing.exe"), "-d", "out"], &[]);
    run.expect(6).mentions(&["Missing.exe", "HTTP 404"]);
    assert!(common::all_paths(&cwd.join("out")).is_empty());
}

#[test]
fn a_stalled_transfer_times_out_and_resumes_from_the_byte_reached() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let slice = format!("{NAME}-2.bin");
    server.add(Fault::StallAfter { name: slice.clone(), bytes: 500_000 });
    let (_temp, cwd) = scratch();
    let run = fetch_in(&cwd, &[&server.url(&format!("{NAME}.exe")), "-d", "out", "--timeout", "1s"], &[]);
    run.expect(0);
    assert_identical(&fixture, &cwd.join("out"), NAME);
    let state = server.state();
    assert_eq!(state.sent(&slice), size_of(&fixture, &slice));
    assert_eq!(state.gets(&slice)[1].range.as_deref(), Some("bytes=500000-"));
}

#[test]
fn a_content_length_that_lies_is_exit_3_naming_the_part_and_url() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let slice = format!("{NAME}-1.bin");
    server.add(Fault::LieLength { name: slice.clone(), delta: -1000 });
    let (_temp, cwd) = scratch();
    let run = fetch_in(&cwd, &[&server.url(&format!("{NAME}.exe")), "-d", "out"], &[]);
    run.expect(3).mentions(&[&format!("{slice} from {}", server.url(&slice)), "slice header says 277504 bytes"]);
    let out = cwd.join("out");
    assert_no_incomplete_part(&fixture, &out);
    assert!(!out.join(&slice).exists() && !out.join(format!("{slice}.airlock-download")).exists());
}

#[test]
fn not_enough_space_is_exit_4_before_anything_is_downloaded() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let (_temp, cwd) = scratch();
    let mount = cwd.join("small");
    std::fs::create_dir(&mount).unwrap();
    assert!(common::is_root(), "this test mounts a tmpfs and needs root (CI runs as root)");
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"]).arg(&mount).status().unwrap();
    assert!(mounted.success());
    let run = fetch_in(&cwd, &[&server.url(&format!("{NAME}.exe")), "-d", "small/out"], &[]);
    let listing = common::all_paths(&mount);
    let _ = Command::new("umount").arg(&mount).status();
    run.expect(4).mentions(&["not enough free space", "needed"]);
    assert_eq!(server.state().sent.values().sum::<u64>(), 0, "something was downloaded");
    assert!(listing.iter().all(|p| p == "out"), "something was written: {listing:?}");
}

#[test]
fn https_needs_the_ca_from_ca_file() {
    let fixture = testdata(&format!("inno/{SET}"));
    let (config, ca_pem) = fetch_server::test_tls();
    let server = Server::https(&fixture, config);
    let (_temp, cwd) = scratch();
    std::fs::write(cwd.join("test-ca.pem"), ca_pem).unwrap();
    let url = server.url(&format!("{NAME}.exe"));
    assert!(url.starts_with("https://"));
    let run = fetch_in(&cwd, &[&url, "-d", "untrusted"], &[]);
    run.expect(6).mentions(&["certificate"]);
    assert!(common::all_paths(&cwd.join("untrusted")).is_empty());
    fetch_in(&cwd, &[&url, "-d", "out", "--ca-file", "test-ca.pem"], &[]).expect(0);
    assert_identical(&fixture, &cwd.join("out"), NAME);
}

#[test]
fn redirects_are_followed_and_the_final_host_is_shown() {
    let fixture = testdata(&format!("inno/{SET}"));
    let cdn = Server::http(&fixture);
    let empty = tempfile::tempdir().unwrap();
    let front = Server::http(empty.path());
    for (name, _) in parts_of(&fixture) {
        front.add(Fault::Redirect { name, to: cdn.prefix() });
    }
    // A cut on the CDN: the retry goes through the redirect again and keeps its Range.
    let slice = format!("{NAME}-2.bin");
    cdn.add(Fault::CutAfter { name: slice.clone(), bytes: 400_000 });
    let (_temp, cwd) = scratch();
    let run = fetch_in(&cwd, &[&front.url(&format!("{NAME}.exe")), "-d", "out"], &[]);
    run.expect(0).mentions(&[&format!("redirected to 127.0.0.1:{}", cdn.port)]);
    assert_identical(&fixture, &cwd.join("out"), NAME);
    let state = cdn.state();
    assert_eq!(state.sent(&slice), size_of(&fixture, &slice));
    assert_eq!(state.gets(&slice)[1].range.as_deref(), Some("bytes=400000-"));
}

#[test]
fn a_server_refusing_head_still_announces_sizes() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    server.add(Fault::NoHead);
    let (_temp, cwd) = scratch();
    let run = fetch_in(&cwd, &[&server.url(&format!("{NAME}.exe")), "-d", "out"], &[]);
    run.expect(0).mentions(&["2097152  MicrosoftAzureBackupInstaller-2.bin"]);
    assert_identical(&fixture, &cwd.join("out"), NAME);
}

#[test]
fn seven_zip_volumes_are_counted_from_the_start_header() {
    let fixture = testdata("sevenz/volumes");
    let server = Server::http(&fixture);
    let (_temp, cwd) = scratch();
    let run = fetch_in(&cwd, &[&server.url(&format!("{NAME}.7z.001")), "-d", "out"], &[]);
    run.expect(0).mentions(&["counted from the 7z start header"]);
    assert_identical(&fixture, &cwd.join("out"), &format!("{NAME}.7z"));
    let state = server.state();
    assert!(state.requests.iter().all(|r| !r.name.ends_with(".005")), "no probing past the header's count");
    assert_eq!(state.sent(&format!("{NAME}.7z.001")), 32 + 307_200, "the start header, then the volume once");
}

#[test]
fn other_sets_are_found_by_probing_until_404() {
    for (fixture_name, head, set_name) in [
        ("zip/volumes", format!("{NAME}.zip.001"), format!("{NAME}.zip")),
        ("zip/sfx-spanned", format!("{NAME}.exe"), NAME.to_owned()),
    ] {
        let fixture = testdata(fixture_name);
        let server = Server::http(&fixture);
        let (_temp, cwd) = scratch();
        let run = fetch_in(&cwd, &[&server.url(&head), "-d", "out"], &[]);
        run.expect(0).mentions(&["found by asking for the next part numbers"]);
        assert_identical(&fixture, &cwd.join("out"), &set_name);
    }
}

#[test]
fn listed_urls_are_the_parts() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let (_temp, cwd) = scratch();
    let urls: Vec<String> = parts_of(&fixture).keys().map(|name| server.url(name)).collect();
    let mut args: Vec<&str> = urls.iter().map(String::as_str).collect();
    args.extend(["-d", "out", "--jobs", "2"]);
    fetch_in(&cwd, &args, &[]).expect(0).mentions(&["as listed"]);
    assert_identical(&fixture, &cwd.join("out"), NAME);
}

#[test]
fn a_published_manifest_is_compared_and_a_mismatch_is_exit_1() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let (_temp, cwd) = scratch();
    let url = server.url(&format!("{NAME}.exe"));
    let run = fetch_in(&cwd, &[&url, "-d", "out", "--manifest", &server.url("SHA256SUMS")], &[]);
    run.expect(0).mentions(&["every part matches"]);
    assert_identical(&fixture, &cwd.join("out"), NAME);

    let slice = format!("{NAME}-2.bin");
    let published = std::fs::read_to_string(fixture.join("SHA256SUMS")).unwrap();
    let line = published.lines().find(|l| l.ends_with(&slice)).unwrap();
    let wrong = published.replace(line, &format!("{}  {slice}", "0".repeat(64)));
    std::fs::write(cwd.join("published.sha256"), wrong).unwrap();
    let run = fetch_in(&cwd, &[&url, "-d", "fresh", "--manifest", "published.sha256"], &[]);
    run.expect(1).mentions(&[&slice, "published manifest"]);
    let fresh = cwd.join("fresh");
    assert_no_incomplete_part(&fixture, &fresh);
    assert!(!fresh.join(&slice).exists() && !fresh.join(format!("{slice}.airlock-download")).exists());
}

#[test]
fn unsafe_names_and_foreign_manifests_are_refused_before_downloading() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let (_temp, cwd) = scratch();
    let run = fetch_in(&cwd, &[&format!("http://127.0.0.1:{}/dl/..%2F..%2Fx.exe", server.port), "-d", "out"], &[]);
    run.expect(2).mentions(&["not a plain file name"]);
    std::fs::create_dir(cwd.join("out")).unwrap();
    std::fs::write(cwd.join("out/SHA256SUMS"), format!("{}  other.iso\n", "a".repeat(64))).unwrap();
    let run = fetch_in(&cwd, &[&server.url(&format!("{NAME}.exe")), "-d", "out"], &[]);
    run.expect(2).mentions(&["SHA256SUMS listing other files"]);
    assert_eq!(
        std::fs::read_to_string(cwd.join("out/SHA256SUMS")).unwrap(),
        format!("{}  other.iso\n", "a".repeat(64))
    );
}

#[test]
fn ctrl_c_leaves_partial_parts_resumable_and_says_so() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let slice = format!("{NAME}-2.bin");
    server.add(Fault::StallAfter { name: slice.clone(), bytes: 300_000 });
    let (_temp, cwd) = scratch();
    let url = server.url(&format!("{NAME}.exe"));
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("airlock"))
        .current_dir(&cwd)
        .args(["fetch", &url, "-d", "out", "--timeout", "5s"])
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert!(server.wait_for(|s| s.stalled == 1), "the transfer never stalled");
    // Wait until the client has written every byte it was sent.
    let partial = cwd.join(format!("out/{slice}.airlock-download"));
    let written = || std::fs::metadata(&partial).is_ok_and(|m| m.len() == 300_000);
    assert!(common::wait_until(&mut child, written), "the client never wrote the bytes it was sent");
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains(&format!("{slice}.airlock-download")) && stderr.contains("resume"), "{stderr}");
    let out = cwd.join("out");
    assert_no_incomplete_part(&fixture, &out);
    assert!(!out.join(&slice).exists());
    assert_eq!(std::fs::metadata(out.join(format!("{slice}.airlock-download"))).unwrap().len(), 300_000);
    server.release();
    fetch_in(&cwd, &[&url, "-d", "out"], &[]).expect(0);
    assert_identical(&fixture, &out, NAME);
    let state = server.state();
    assert_eq!(state.sent(&slice), size_of(&fixture, &slice), "the resumed part was downloaded twice");
    assert_eq!(state.gets(&slice).last().and_then(|r| r.range.clone()).as_deref(), Some("bytes=300000-"));
}

#[test]
fn ctrl_c_while_a_resume_hashes_the_kept_bytes_exits_130_and_keeps_them() {
    // A resumed part's kept bytes are hashed before the rest is asked for: a
    // 4 GiB part (sparse on both sides) keeps that busy long enough to stop.
    let (_temp, cwd) = scratch();
    let root = cwd.join("served");
    std::fs::create_dir(&root).unwrap();
    let size = 4u64 << 30;
    std::fs::File::create(root.join("data.zip")).unwrap().set_len(size).unwrap();
    let server = Server::http(&root);
    server.add(Fault::CutAfter { name: "data.zip".to_owned(), bytes: 1000 });
    let url = server.url("data.zip");
    fetch_in(&cwd, &[&url, "-d", "out", "--retries", "0"], &[]).expect(6);
    let partial = cwd.join("out/data.zip.airlock-download");
    // The kept bytes, as if nearly all of it had arrived (zeros, as served).
    std::fs::OpenOptions::new().write(true).open(&partial).unwrap().set_len(size - 1).unwrap();
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("airlock"))
        .current_dir(&cwd)
        .args(["fetch", &url, "-d", "out"])
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let hashing = || common::position_in(pid, &partial) > 64 << 20;
    assert!(common::wait_until(&mut child, hashing), "the resume never hashed the kept bytes");
    // SAFETY: kill(2) on our own child's pid.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("data.zip.airlock-download") && stderr.contains("resume"), "{stderr}");
    assert_eq!(std::fs::metadata(&partial).unwrap().len(), size - 1, "the kept bytes were not kept");
    assert!(!cwd.join("out/data.zip").exists());
}

#[test]
fn proxies_come_from_the_environment_or_proxy_and_no_proxy_bypasses_them() {
    let fixture = testdata(&format!("inno/{SET}"));
    let proxy = Server::http(&fixture);
    let proxy_url = format!("http://127.0.0.1:{}", proxy.port);
    // A host that exists only through the proxy.
    let url = format!("http://vendor.invalid/dl/{NAME}.exe");
    let (_temp, cwd) = scratch();
    fetch_in(&cwd, &[&url, "-d", "env"], &[("HTTP_PROXY", &proxy_url)]).expect(0);
    assert_identical(&fixture, &cwd.join("env"), NAME);
    assert!(
        proxy.state().requests.iter().any(|r| r.method == "CONNECT" && r.name == "vendor.invalid:80"),
        "the proxy was not asked to connect to the vendor"
    );

    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_url = format!("http://127.0.0.1:{}", dead.local_addr().unwrap().port());
    drop(dead);
    fetch_in(&cwd, &[&url, "-d", "flag", "--proxy", &proxy_url], &[("HTTPS_PROXY", &dead_url)]).expect(0);
    assert_identical(&fixture, &cwd.join("flag"), NAME);

    let connects = || proxy.state().requests.iter().filter(|r| r.method == "CONNECT").count();
    let before = connects();
    let run = fetch_in(
        &cwd,
        &[&url, "-d", "bypass", "--retries", "0"],
        &[("HTTP_PROXY", &proxy_url), ("NO_PROXY", "vendor.invalid")],
    );
    run.expect(6).mentions(&["vendor.invalid"]);
    assert_eq!(connects(), before, "NO_PROXY did not bypass the proxy");
}

/// A URL on 127.0.0.1 where nothing listens.
fn dead_proxy() -> String {
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", dead.local_addr().unwrap().port());
    drop(dead);
    url
}

#[test]
fn the_proxy_follows_the_urls_scheme_and_a_dead_one_is_named() {
    let fixture = testdata(&format!("inno/{SET}"));
    let dead = dead_proxy();
    let (_temp, cwd) = scratch();

    // http://: a dead HTTPS proxy is not used; a dead HTTP proxy is, and named.
    let server = Server::http(&fixture);
    let url = server.url(&format!("{NAME}.exe"));
    fetch_in(&cwd, &[&url, "-d", "http-direct"], &[("HTTPS_PROXY", &dead), ("https_proxy", &dead)]).expect(0);
    assert_identical(&fixture, &cwd.join("http-direct"), NAME);
    let asked = server.state().requests.len();
    fetch_in(&cwd, &[&url, "-d", "http-dead", "--retries", "0"], &[("http_proxy", &dead), ("HTTPS_PROXY", &url)])
        .expect(6)
        .mentions(&[&format!("through the proxy {dead} from http_proxy"), "NO_PROXY"]);
    assert_eq!(server.state().requests.len(), asked, "the server was reached around the proxy");
    assert!(common::all_paths(&cwd.join("http-dead")).iter().all(|p| !is_part(p)));

    // https://: the other way round.
    let (config, ca_pem) = fetch_server::test_tls();
    let server = Server::https(&fixture, config);
    std::fs::write(cwd.join("test-ca.pem"), ca_pem).unwrap();
    let url = server.url(&format!("{NAME}.exe"));
    let ca = ["--ca-file", "test-ca.pem"];
    fetch_in(&cwd, &[&url, "-d", "https-direct", ca[0], ca[1]], &[("HTTP_PROXY", &dead), ("http_proxy", &dead)])
        .expect(0);
    assert_identical(&fixture, &cwd.join("https-direct"), NAME);
    fetch_in(&cwd, &[&url, "-d", "https-dead", "--retries", "0", ca[0], ca[1]], &[("HTTPS_PROXY", &dead)])
        .expect(6)
        .mentions(&[&format!("through the proxy {dead} from HTTPS_PROXY")]);
    // NO_PROXY takes a domain's hosts (curl's reading): 127.0.0.1 goes direct.
    fetch_in(
        &cwd,
        &[&url, "-d", "https-bypass", ca[0], ca[1]],
        &[("HTTPS_PROXY", &dead), ("NO_PROXY", "example.test, 127.0.0.1")],
    )
    .expect(0);
    // --proxy is used for every scheme and named as such.
    fetch_in(&cwd, &[&url, "-d", "flag-dead", "--retries", "0", "--proxy", &dead, ca[0], ca[1]], &[])
        .expect(6)
        .mentions(&[&format!("through the proxy {dead} from --proxy")]);
}

#[test]
fn check_names_an_unfinished_fetch_and_says_how_to_resume_it() {
    let fixture = testdata(&format!("inno/{SET}"));
    let server = Server::http(&fixture);
    let slice = format!("{NAME}-2.bin");
    server.add(Fault::CutAfter { name: slice.clone(), bytes: 100_000 });
    let (_temp, cwd) = scratch();
    fetch_in(&cwd, &[&server.url(&format!("{NAME}.exe")), "-d", "out", "--retries", "0"], &[]).expect(6);
    let run = common::airlock(["check", cwd.join(format!("out/{NAME}.exe")).to_str().unwrap()]);
    run.expect(3).mentions(&[&format!(
        "{slice} is missing: {slice}.airlock-download is an unfinished airlock fetch; run the same airlock fetch again to resume it"
    )]);
}

#[test]
fn signer_is_checked_on_the_installer_before_any_slice_is_downloaded() {
    // A set whose installer is signed by the test PKI (tests/authenticode.rs's fixtures).
    let served = tempfile::tempdir().unwrap();
    common::copy_dir(&testdata(&format!("inno/{SET}")), served.path());
    std::fs::remove_file(served.path().join("SHA256SUMS")).unwrap();
    std::fs::copy(testdata("authenticode/inno/inno-6.4.1-signed.exe"), served.path().join(format!("{NAME}.exe")))
        .unwrap();
    let root = testdata("authenticode/pki/root.pem");
    let root = root.to_str().unwrap();
    let server = Server::http(served.path());
    let url = server.url(&format!("{NAME}.exe"));

    // Another signer: exit 1 naming the installer, and not one slice byte sent.
    let (_temp, cwd) = scratch();
    fetch_in(&cwd, &[&url, "-d", "set", "--signer", "Someone Else", "--root", root], &[])
        .expect(1)
        .mentions(&[&format!("{NAME}.exe"), "Someone Else"]);
    for n in 1..=3 {
        assert_eq!(server.state().sent(&format!("{NAME}-{n}.bin")), 0, "slice {n} was downloaded");
        assert!(!cwd.join("set").join(format!("{NAME}-{n}.bin")).exists());
    }

    // The vendor's signer: the whole set.
    let (_temp2, cwd2) = scratch();
    fetch_in(&cwd2, &[&url, "-d", "set", "--signer", "Airlock Test Vendor", "--root", root], &[]).expect(0);
    assert_identical(served.path(), &cwd2.join("set"), NAME);
}

#[test]
fn the_files_an_installer_reads_from_beside_itself_are_fetched_from_beside_its_url() {
    for fixture_name in ["inno-6.4.1-external-files", "inno-5.5.9-external-files"] {
        let fixture = testdata(&format!("inno-external/{fixture_name}"));
        let server = Server::http(&fixture);
        let (_temp, cwd) = scratch();
        // The published manifest names what the wildcard takes (a server lists no folders).
        let run = fetch_in(
            &cwd,
            &[&server.url(&format!("{NAME}.exe")), "--manifest", &server.url("SHA256SUMS"), "-d", "set"],
            &[],
        );
        run.expect(0);
        let set = cwd.join("set");
        let sums = std::fs::read_to_string(set.join("SHA256SUMS")).unwrap();
        for line in std::fs::read_to_string(fixture.join("EXTERNAL.tsv")).unwrap().lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            let (file, sha256) = (fields[0], fields[2]);
            let got = tree(&set);
            assert_eq!(got.get(file).map(|(_, h)| h.as_str()), Some(sha256), "{fixture_name}: {file}\n{}", run.dump());
            assert!(sums.contains(&format!("{sha256}  {file}\n")), "{fixture_name}: {file} not in SHA256SUMS");
        }
        // A second run finds everything there, its own manifests included.
        fetch_in(
            &cwd,
            &[&server.url(&format!("{NAME}.exe")), "--manifest", &server.url("SHA256SUMS"), "-d", "set"],
            &[],
        )
        .expect(0);
        drop(server);
        common::airlock(["verify", set.to_str().unwrap()]).expect(0);
    }
}
