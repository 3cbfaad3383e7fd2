//! End-to-end: Authenticode signatures (`airlock authenticode`, `--signer`,
//! `--root`, the vendor-verified line), on real signed files and on a test
//! PKI's signatures over real Inno Setup installers. The fixtures and the
//! script that made them are in `testdata/authenticode/` (README there);
//! `ORACLE.tsv` holds osslsigncode's verdict on each, and
//! `osslsigncode_agrees_live` re-asks osslsigncode when AIRLOCK_ORACLES=1.

mod common;

use std::path::{Path, PathBuf};

use common::{NAME, Run, airlock, testdata};
use serde_json::Value;

fn fixture(rel: &str) -> PathBuf {
    testdata("authenticode").join(rel)
}

const CERTUM: [&str; 3] =
    ["real/certum-trusted-network-ca.pem", "real/certum-trusted-network-ca-2.pem", "real/usertrust-rsa-ca.pem"];

/// Runs `airlock` in `dir`, as a user who changed into the set's folder.
fn airlock_in(dir: &Path, args: &[&str]) -> Run {
    let mut command = assert_cmd::Command::cargo_bin("airlock").unwrap();
    command.current_dir(dir).args(args).env_remove("AIRLOCK_PASSWORD");
    Run { args: args.iter().map(|a| a.to_string()).collect(), output: command.output().unwrap() }
}

/// `airlock authenticode --json FILE --root R…`: the run and the file's report.
fn signature_of(file: &Path, roots: &[&str], extra: &[&str]) -> (Run, Value) {
    let mut args: Vec<String> = vec!["authenticode".into(), "--json".into(), file.display().to_string()];
    for root in roots {
        args.push("--root".into());
        args.push(fixture(root).display().to_string());
    }
    args.extend(extra.iter().map(|s| s.to_string()));
    let run = airlock(&args);
    let json = run.json();
    let report = json["files"][0].clone();
    (run, report)
}

#[test]
fn a_microsoft_signed_dll_is_valid_with_the_built_in_roots() {
    let (run, report) = signature_of(&fixture("real/msvcp140_codecvt_ids.dll"), &[], &[]);
    run.expect(0);
    assert_eq!(report["status"], "valid");
    assert_eq!(report["signer"], "Microsoft Windows Software Compatibility Publisher");
    assert_eq!(report["digest"], "sha256");
    assert_eq!(report["chain"].as_array().unwrap().last().unwrap(), "Microsoft Root Certificate Authority 2011");
    assert_eq!(report["timestamp"]["authority"], "Microsoft Time-Stamp Service");
    assert_eq!(report["timestamp"]["kind"], "rfc3161");
    // SHA-256 signature plus a nested one by Microsoft Corporation.
    let signatures = report["signatures"].as_array().unwrap();
    assert_eq!(signatures.len(), 2, "{report:#}");
    assert_eq!(signatures[1]["signer"], "Microsoft Corporation");
    // --signer matches the subject's O as well as its CN, ignoring case.
    signature_of(&fixture("real/msvcp140_codecvt_ids.dll"), &[], &["--signer", "microsoft corporation"]).0.expect(0);
}

#[test]
fn dual_signed_sha1_and_sha256_with_a_legacy_countersignature_is_valid_with_its_roots() {
    let (run, report) = signature_of(&fixture("real/isunzlib.dll"), &CERTUM, &[]);
    run.expect(0);
    assert_eq!(report["signer"], "Open Source Developer, Martijn Laan");
    let signatures = report["signatures"].as_array().unwrap();
    assert_eq!(signatures[0]["digest"], "sha1");
    assert_eq!(signatures[0]["timestamp"]["kind"], "countersignature");
    assert_eq!(signatures[1]["digest"], "sha256");
    assert_eq!(signatures[1]["timestamp"]["kind"], "rfc3161");
    // The strongest digest of the signer's signatures.
    assert_eq!(report["digest"], "sha256");
    assert_eq!(report["chain"].as_array().unwrap().last().unwrap(), "Certum Trusted Network CA");
}

#[test]
fn the_same_file_without_its_root_is_invalid_and_says_which_root_is_missing() {
    let (run, report) = signature_of(&fixture("real/isunzlib.dll"), &[], &[]);
    run.expect(1);
    assert_eq!(report["status"], "invalid");
    let reason = report["reason"].as_str().unwrap();
    // The timestamp authority's root (USERTrust) is the first one missing.
    assert!(
        reason.contains("\"USERTrust RSA Certification Authority\" is neither in the signature nor a trusted root"),
        "{reason}"
    );
    assert!(reason.contains("--root FILE"), "{reason}");
}

#[test]
fn an_expired_signer_with_a_timestamp_inside_its_validity_passes() {
    let (run, report) = signature_of(&fixture("real/ISCC.exe"), &CERTUM, &[]);
    run.expect(0);
    assert_eq!(report["status"], "valid");
    // The signing certificate ran out on 2025-04-17; the timestamp is from before.
    assert_eq!(report["timestamp"]["time"], "2025-02-12T05:53:57Z");
    assert_eq!(report["timestamp"]["authority"], "Certum Timestamp 2025");
}

#[test]
fn the_test_vendor_signature_is_valid_with_its_root_and_any_spelling_of_its_name() {
    let valid = fixture("pe/valid.dll");
    let (run, report) = signature_of(&valid, &["pki/root.pem"], &[]);
    run.expect(0);
    assert_eq!(report["signer"], "Airlock Test Vendor");
    assert_eq!(report["chain"], serde_json::json!(["Airlock Test Vendor", "Airlock Test Root CA"]));
    assert_eq!(report["timestamp"]["authority"], "Airlock Test TSA");
    signature_of(&valid, &["pki/root.pem"], &["--signer", "AIRLOCK TEST VENDOR"]).0.expect(0);
    signature_of(&valid, &["pki/root.pem"], &["--signer", "Airlock Test Vendor Ltd"]).0.expect(0);
    let (run, _) = signature_of(&valid, &["pki/root.pem"], &["--signer", "Contoso"]);
    run.expect(1).mentions(&["valid.dll", "signed by \\\"Airlock Test Vendor\\\", not \\\"Contoso\\\""]);
}

#[test]
fn an_untrusted_root_is_invalid() {
    let (run, report) = signature_of(&fixture("pe/valid.dll"), &[], &[]);
    run.expect(1);
    let reason = report["reason"].as_str().unwrap();
    assert!(reason.contains("\"Airlock Test Root CA\", which is not a trusted root"), "{reason}");
}

#[test]
fn a_signer_of_the_same_name_under_another_root_is_invalid() {
    let (run, report) =
        signature_of(&fixture("pe/impostor.dll"), &["pki/root.pem"], &["--signer", "Airlock Test Vendor"]);
    run.expect(1).mentions(&["impostor.dll"]);
    assert_eq!(report["status"], "invalid");
    let reason = report["reason"].as_str().unwrap();
    assert!(reason.contains("has the name of a trusted root but not its key"), "{reason}");
    // Under its own root it is a valid signature: the name alone proves nothing.
    signature_of(&fixture("pe/impostor.dll"), &["pki/other-root.pem"], &[]).0.expect(0);
}

#[test]
fn unsigned_with_signer_is_exit_1_naming_the_file() {
    let (run, report) =
        signature_of(&fixture("pe/unsigned.dll"), &["pki/root.pem"], &["--signer", "Airlock Test Vendor"]);
    run.expect(1).mentions(&["unsigned.dll", "carries no Authenticode signature"]);
    assert_eq!(report["status"], "unsigned");
}

#[test]
fn data_appended_after_the_certificate_table_is_invalid() {
    let (run, report) = signature_of(&fixture("pe/appended.dll"), &["pki/root.pem"], &[]);
    run.expect(1);
    let reason = report["reason"].as_str().unwrap();
    assert!(reason.contains("22 bytes follow the certificate table"), "{reason}");
}

#[test]
fn an_extra_blob_inside_the_certificate_entry_is_accepted_as_the_signature_is() {
    let (run, report) = signature_of(&fixture("pe/cert-entry-blob.dll"), &["pki/root.pem"], &[]);
    run.expect(0);
    let (_, plain) = signature_of(&fixture("pe/valid.dll"), &["pki/root.pem"], &[]);
    // The same signature, read the same way: the blob after the PKCS#7 is never used.
    assert_eq!(report["signatures"], plain["signatures"]);
    let bytes = std::fs::read(fixture("pe/cert-entry-blob.dll")).unwrap();
    assert!(bytes.windows(10).any(|w| w == b"EXTRA-BLOB"), "the fixture lost its blob");
}

#[test]
fn an_expired_signer_without_a_timestamp_is_invalid() {
    let (run, report) = signature_of(&fixture("pe/expired-no-timestamp.dll"), &["pki/root.pem"], &[]);
    run.expect(1);
    let reason = report["reason"].as_str().unwrap();
    assert!(reason.contains("expired on 2021-01-01") && reason.contains("no timestamp"), "{reason}");
    // The same certificate with a timestamp from inside its validity passes.
    signature_of(&fixture("pe/expired-timestamped.dll"), &["pki/root.pem"], &[]).0.expect(0);
}

#[test]
fn a_byte_changed_in_the_dos_stub_after_signing_is_invalid() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("stub.dll");
    std::fs::copy(fixture("pe/valid.dll"), &file).unwrap();
    common::flip_byte(&file, 0x4e); // "This program cannot be run in DOS mode"
    let (run, report) = signature_of(&file, &["pki/root.pem"], &[]);
    run.expect(1);
    assert!(report["reason"].as_str().unwrap().contains("changed after it was signed"), "{report:#}");
}

#[test]
fn files_that_are_not_executables_are_a_usage_error() {
    airlock(["authenticode", fixture("pki/root.pem").to_str().unwrap()])
        .expect(2)
        .mentions(&["not a Windows executable"]);
    airlock(["authenticode", "--root", "no-such-root.pem", fixture("pe/valid.dll").to_str().unwrap()]).expect(6);
}

// ---- signed Inno Setup sets -------------------------------------------------------

/// A scratch set: the signed installer `signed` as NAME.exe beside the
/// slices of the real fixture `slices_from`.
fn signed_set(signed: &str, slices_from: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("set");
    common::copy_dir(&testdata("inno").join(slices_from), &dir);
    std::fs::remove_file(dir.join("SHA256SUMS")).unwrap();
    std::fs::copy(fixture(signed), dir.join(format!("{NAME}.exe"))).unwrap();
    (temp, dir)
}

fn root_arg() -> String {
    fixture("pki/root.pem").display().to_string()
}

#[test]
fn deep_verify_of_a_signed_inno_set_ends_with_every_file_vendor_verified() {
    let (_temp, dir) = signed_set("inno/inno-6.4.1-signed.exe", "inno-6.4.1-lzma2-solid-spanned");
    let run = airlock_in(&dir, &["verify", "--deep", "--signer", "Airlock Test Vendor", "--root", &root_arg(), "."]);
    run.expect(0);
    let last = run.stderr().lines().last().unwrap_or_default().to_owned();
    assert_eq!(
        last,
        "airlock: vendor-verified: every file (8) is what \"Airlock Test Vendor\" signed, by SHA-256",
        "{}",
        run.dump()
    );

    let json = airlock_in(&dir, &["verify", "--deep", "--json", "--root", &root_arg(), "."]);
    json.expect(0);
    let value = json.json();
    assert_eq!(value["vendor"]["vendor_verified"], true);
    assert_eq!(value["vendor"]["strength"], "sha256");
    assert_eq!(value["authenticode"]["status"], "valid");
}

#[test]
fn an_inno_5_set_is_vendor_verified_by_sha1_and_says_it_is_weaker() {
    let (_temp, dir) = signed_set("inno/inno-5.5.9-signed.exe", "inno-5.5.9-lzma-solid-spanned");
    let run = airlock_in(&dir, &["verify", "--deep", "--root", &root_arg(), "."]);
    run.expect(0);
    let last = run.stderr().lines().last().unwrap_or_default().to_owned();
    assert!(last.contains("is what \"Airlock Test Vendor\" signed, by SHA-1 (weaker"), "{}", run.dump());
}

#[test]
fn a_one_byte_change_anywhere_in_the_signed_range_fails_naming_the_installer() {
    let signed = std::fs::read(fixture("inno/inno-6.4.1-signed.exe")).unwrap();
    // The signed range ends where the certificate table starts.
    let (_, report) = signature_of(&fixture("inno/inno-6.4.1-signed.exe"), &["pki/root.pem"], &[]);
    let signed_end = report["signed_bytes"].as_u64().unwrap() as usize;
    assert!(signed_end < signed.len());
    // DOS stub, code section, the middle, the setup data just before the table.
    for offset in [0x4e, 0x1000, signed_end / 2, signed_end - 64, signed_end - 1] {
        let (_temp, dir) = signed_set("inno/inno-6.4.1-signed.exe", "inno-6.4.1-lzma2-solid-spanned");
        common::flip_byte(&dir.join(format!("{NAME}.exe")), offset as i64);
        let run =
            airlock_in(&dir, &["verify", "--deep", "--signer", "Airlock Test Vendor", "--root", &root_arg(), "."]);
        run.expect(1).mentions(&[&format!("{NAME}.exe: --signer \"Airlock Test Vendor\" requires a valid signature")]);
        assert!(!run.stderr().contains("vendor-verified"), "offset {offset}\n{}", run.dump());
    }
}

#[test]
fn check_and_list_report_the_signature_in_text_and_json() {
    let (_temp, dir) = signed_set("inno/inno-6.4.1-signed.exe", "inno-6.4.1-lzma2-solid-spanned");
    let text = airlock_in(&dir, &["check", "--root", &root_arg(), "."]);
    text.expect(0)
        .mentions(&["signature of MicrosoftAzureBackupInstaller.exe: valid, signed by \"Airlock Test Vendor\""]);
    let json = airlock_in(&dir, &["check", "--json", "--root", &root_arg(), "."]);
    let value = json.expect(0).json();
    let signature = &value["authenticode"];
    assert_eq!(signature["status"], "valid");
    assert_eq!(signature["signer"], "Airlock Test Vendor");
    assert_eq!(signature["digest"], "sha256");
    assert_eq!(signature["chain"][1], "Airlock Test Root CA");
    assert_eq!(signature["timestamp"]["time"], "2024-06-01T00:00:00Z");

    let list = airlock_in(&dir, &["list", "--json", "."]);
    let value = list.expect(0).json();
    // Without the test root the chain is not trusted, and list says why.
    assert_eq!(value["authenticode"]["status"], "invalid");
    assert!(value["authenticode"]["reason"].as_str().unwrap().contains("not a trusted root"));
}

#[test]
fn an_unsigned_installer_is_reported_and_refused_with_signer() {
    let (_temp, dir) = common::scratch("inno/inno-6.4.1-lzma2-solid-spanned");
    let value = airlock_in(&dir, &["check", "--json", "."]).expect(0).json();
    assert_eq!(value["authenticode"]["status"], "unsigned");
    airlock_in(&dir, &["check", "--signer", "Microsoft Corporation", "."])
        .expect(1)
        .mentions(&[&format!("{NAME}.exe: --signer \"Microsoft Corporation\""), "carries no Authenticode signature"]);
}

#[test]
fn extract_with_the_wrong_signer_refuses_before_writing_anything() {
    let (temp, dir) = signed_set("inno/inno-6.4.1-signed.exe", "inno-6.4.1-lzma2-solid-spanned");
    let dest = temp.path().join("out");
    let dest_arg = dest.display().to_string();
    airlock_in(
        &dir,
        &["extract", "--no-verify", "--signer", "Microsoft Corporation", "--root", &root_arg(), "-d", &dest_arg, "."],
    )
    .expect(1)
    .mentions(&[&format!("{NAME}.exe"), "not \"Microsoft Corporation\""]);
    assert!(!dest.exists(), "extract wrote {} before refusing", dest.display());
    airlock_in(
        &dir,
        &["extract", "--no-verify", "--signer", "Airlock Test Vendor", "--root", &root_arg(), "-d", &dest_arg, "."],
    )
    .expect(0);
    assert!(common::all_paths(&dest).len() >= 8);
}

#[test]
fn stage_records_the_signature_in_the_json_manifest_and_refuses_the_wrong_signer() {
    let (temp, dir) = signed_set("inno/inno-6.4.1-signed.exe", "inno-6.4.1-lzma2-solid-spanned");
    let media = temp.path().join("media");
    let media_arg = media.display().to_string();
    airlock_in(&dir, &["stage", "--signer", "Contoso", "--root", &root_arg(), ".", &media_arg])
        .expect(1)
        .mentions(&[&format!("{NAME}.exe"), "nothing was staged"]);
    assert!(!media.join(format!("{NAME}.manifest.json")).exists());
    airlock_in(&dir, &["stage", "--signer", "Airlock Test Vendor", "--root", &root_arg(), ".", &media_arg]).expect(0);
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(media.join(format!("{NAME}.manifest.json"))).unwrap()).unwrap();
    assert_eq!(manifest["authenticode"]["status"], "valid");
    assert_eq!(manifest["authenticode"]["signer"], "Airlock Test Vendor");
    assert_eq!(manifest["authenticode"]["file"], format!("{NAME}.exe"));
    // The manifest still verifies the staged set.
    airlock(["verify", media.join(format!("{NAME}.exe")).to_str().unwrap()]).expect(0);
}

// ---- the oracle -----------------------------------------------------------------------

/// The rows of ORACLE.tsv: (file, extra roots, osslsigncode's verdict).
fn oracle_rows() -> Vec<(String, Vec<String>, String)> {
    std::fs::read_to_string(fixture("ORACLE.tsv"))
        .unwrap()
        .lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            let roots = fields[1].split(',').filter(|r| !r.is_empty()).map(str::to_owned).collect();
            (fields[0].to_owned(), roots, fields[2].to_owned())
        })
        .collect()
}

/// airlock's verdict, in osslsigncode's terms: it reports a signature that
/// osslsigncode ignores (data appended after the table) as invalid rather
/// than as no signature; both refuse it (README, "Differences").
fn agrees(file: &str, airlock: &str, oracle: &str) -> bool {
    airlock == oracle || (file == "pe/appended.dll" && airlock == "invalid" && oracle == "unsigned")
}

#[test]
fn every_verdict_matches_the_recorded_osslsigncode_verdict() {
    let rows = oracle_rows();
    assert!(rows.len() >= 15);
    for (file, roots, oracle) in rows {
        let roots: Vec<&str> = roots.iter().map(String::as_str).collect();
        let (run, report) = signature_of(&fixture(&file), &roots, &[]);
        let status = report["status"].as_str().unwrap_or_default().to_owned();
        assert!(
            agrees(&file, &status, &oracle),
            "{file} [{roots:?}]: airlock {status}, osslsigncode {oracle}\n{}",
            run.dump()
        );
        assert_eq!(run.code(), if status == "valid" { 0 } else { 1 }, "{}", run.dump());
    }
}

/// With AIRLOCK_ORACLES=1 (set by .ci/run), osslsigncode itself is asked
/// again and must still agree; the test FAILS if it is missing then.
/// Without the variable it returns at once, saying so on stderr: the
/// committed verdicts are checked by the test above.
#[test]
fn osslsigncode_agrees_live() {
    if std::env::var("AIRLOCK_ORACLES").as_deref() != Ok("1") {
        eprintln!("skipped: set AIRLOCK_ORACLES=1 to run osslsigncode live (the recorded verdicts are checked anyway)");
        return;
    }
    let version = std::process::Command::new("osslsigncode").arg("--version").output();
    assert!(version.is_ok(), "AIRLOCK_ORACLES=1 but osslsigncode is not installed (apt-get install osslsigncode)");
    let temp = tempfile::tempdir().unwrap();
    let builtin: String = ["microsoft-root-2010.pem", "microsoft-root-2011.pem"]
        .iter()
        .map(|f| {
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/authenticode/roots").join(f))
                .unwrap()
        })
        .collect();
    for (index, (file, roots, recorded)) in oracle_rows().into_iter().enumerate() {
        let cafile = temp.path().join(format!("ca-{index}.pem"));
        let mut text = builtin.clone();
        for root in &roots {
            text.push_str(&std::fs::read_to_string(fixture(root)).unwrap());
        }
        std::fs::write(&cafile, text).unwrap();
        let output = std::process::Command::new("osslsigncode")
            .args(["verify", "-in"])
            .arg(fixture(&file))
            .arg("-CAfile")
            .arg(&cafile)
            .arg("-TSA-CAfile")
            .arg(&cafile)
            .arg("-ignore-crl")
            .output()
            .unwrap();
        let all = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        let live = if all.contains("No signature found") {
            "unsigned"
        } else if all.lines().any(|l| l == "Succeeded") {
            "valid"
        } else {
            "invalid"
        };
        assert_eq!(live, recorded, "{file}: osslsigncode now says {live}, ORACLE.tsv says {recorded}\n{all}");
        let roots: Vec<&str> = roots.iter().map(String::as_str).collect();
        let (_, report) = signature_of(&fixture(&file), &roots, &[]);
        let ours = report["status"].as_str().unwrap_or_default();
        assert!(agrees(&file, ours, live), "{file}: airlock {ours}, osslsigncode {live}");
    }
}

#[test]
fn a_7z_inside_a_signed_stub_is_covered_whole_and_the_line_says_so() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("set");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("sfx/sfx-7z-signed.exe"), dir.join("Setup.exe")).unwrap();
    let run = airlock_in(&dir, &["verify", "--deep", "--root", &root_arg(), "."]);
    run.expect(0);
    let last = run.stderr().lines().last().unwrap_or_default().to_owned();
    assert_eq!(
        last,
        "airlock: vendor-verified: the archive lies inside Setup.exe, which \"Airlock Test Vendor\" signed, by SHA-256: every file (3) is what they signed",
        "{}",
        run.dump()
    );
}

#[test]
fn a_7z_in_parts_after_a_signed_stub_says_what_the_signature_does_not_cover() {
    // The signed stub as NAME.exe, a real 7z archive split into NAME-1.bin …
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("set");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("pe/valid.dll"), dir.join(format!("{NAME}.exe"))).unwrap();
    let archive = std::fs::read(testdata("sevenz/solid").join(format!("{NAME}.7z"))).unwrap();
    for (index, piece) in archive.chunks(400_000).enumerate() {
        std::fs::write(dir.join(format!("{NAME}-{}.bin", index + 1)), piece).unwrap();
    }
    let run = airlock_in(&dir, &["verify", "--deep", "--json", "--root", &root_arg(), "."]);
    let value = run.expect(0).json();
    assert_eq!(value["authenticode"]["status"], "valid");
    assert_eq!(value["vendor"]["vendor_verified"], false);
    let statement = value["vendor"]["statement"].as_str().unwrap();
    assert!(
        statement.contains(&format!("covers only {NAME}.exe"))
            && statement.contains("CRC-32 checksums, which prove nothing against tampering"),
        "{statement}"
    );
}

#[test]
fn a_refusal_by_signer_shows_the_signature_it_refused_in_json() {
    let (_temp, dir) = signed_set("inno/inno-6.4.1-signed.exe", "inno-6.4.1-lzma2-solid-spanned");
    for command in ["verify", "list", "check"] {
        let run = airlock_in(&dir, &[command, "--json", "--signer", "Contoso", "--root", &root_arg(), "."]);
        let value = run.expect(1).json();
        assert_eq!(value["ok"], false, "{command}\n{}", run.dump());
        assert_eq!(value["error"]["kind"], "integrity", "{command}\n{}", run.dump());
        let message = value["error"]["message"].as_str().unwrap_or_default();
        assert!(message.starts_with(&format!("{NAME}.exe: ")) && message.contains("\"Contoso\""), "{message}");
        // The signature checked is in the refusal, valid but by another signer.
        assert_eq!(value["authenticode"]["status"], "valid", "{command}\n{}", run.dump());
        assert_eq!(value["authenticode"]["signer"], "Airlock Test Vendor", "{command}");
    }
}

/// The library, as a tool that embeds it calls it: the signer requirement is
/// an option of every entry point over a set (verify, extract, check, list,
/// stage), refused with a typed error that carries the signature, before a
/// part is read or a file written.
#[test]
fn the_library_refuses_a_required_signer_that_is_not_satisfied() {
    let (temp, dir) = signed_set("inno/inno-6.4.1-signed.exe", "inno-6.4.1-lzma2-solid-spanned");
    let set = airlock::discover(&dir).unwrap();
    let mut roots = airlock::SignerPolicy::builtin();
    roots.add_root_file(&fixture("pki/root.pem")).unwrap();
    let refused = |error: airlock::Error| match error {
        airlock::Error::SignerRefused { installer, signature, .. } => {
            assert_eq!(installer, format!("{NAME}.exe"));
            assert_eq!(signature.and_then(|s| s.signer().map(str::to_owned)).as_deref(), Some("Airlock Test Vendor"));
        }
        other => panic!("expected a signer refusal, got {other:?}"),
    };

    let options = airlock::VerifyOptions::default().signer(Some(roots.clone().signer("Contoso")));
    let error = airlock::verify(&set, &options, &airlock::NoProgress).unwrap_err();
    assert_eq!(error.kind(), airlock::ErrorKind::Integrity);
    refused(error);

    // Without a required signer the report carries the signature.
    let report =
        airlock::verify(&set, &airlock::VerifyOptions::default().signer(Some(roots.clone())), &airlock::NoProgress)
            .unwrap();
    assert_eq!(report.authenticode.as_ref().and_then(|s| s.signer()), Some("Airlock Test Vendor"));

    let dest = temp.path().join("out");
    let options = airlock::ExtractOptions::new(&dest).verify_parts(false).signer(Some(roots.clone().signer("Contoso")));
    refused(airlock::extract(&set, &options, &airlock::NoProgress).unwrap_err());
    assert!(!dest.exists(), "extract wrote {} before refusing", dest.display());
    let options = airlock::ExtractOptions::new(&dest)
        .verify_parts(false)
        .signer(Some(roots.clone().signer("Airlock Test Vendor")));
    let extracted = airlock::extract(&set, &options, &airlock::NoProgress).unwrap();
    assert_eq!(extracted.files.len(), common::all_paths(&dest).iter().filter(|p| dest.join(p).is_file()).count());
    assert!(extracted.files.len() >= 8, "the signer it names is satisfied: extracted");

    // check, list and stage: the same option, the same refusal.
    let contoso = Some(roots.clone().signer("Contoso"));
    let check = airlock::CheckOptions::default().signer(contoso.clone());
    refused(airlock::check(&set, &check, &airlock::NoProgress).unwrap_err());
    let list = airlock::ListOptions::default().signer(contoso.clone());
    refused(airlock::list(&set, &list, &airlock::NoProgress).unwrap_err());
    let media = temp.path().join("media");
    let stage = airlock::StageOptions::new(&media).signer(roots.clone().signer("Contoso"));
    refused(airlock::stage(&set, &stage, &airlock::NoProgress).unwrap_err());
    assert!(!media.join(format!("{NAME}.manifest.json")).exists(), "stage wrote a manifest before refusing");
    // Satisfied, their reports carry the signature.
    let vendor = Some(roots.clone().signer("Airlock Test Vendor"));
    let checked = airlock::check(&set, &airlock::CheckOptions::default().signer(vendor.clone()), &airlock::NoProgress);
    assert_eq!(checked.unwrap().authenticode.as_ref().and_then(|s| s.signer()), Some("Airlock Test Vendor"));
    let listed = airlock::list(&set, &airlock::ListOptions::default().signer(vendor), &airlock::NoProgress).unwrap();
    assert_eq!(listed.check.authenticode.as_ref().and_then(|s| s.signer()), Some("Airlock Test Vendor"));
    // Without roots the chain is not trusted, and the report says so.
    let checked = airlock::check(&set, &airlock::CheckOptions::default(), &airlock::NoProgress).unwrap();
    assert!(matches!(checked.authenticode.map(|s| s.status), Some(airlock::AuthenticodeStatus::Invalid { .. })));
}

/// Vendor coverage is verify's, in its report: computed with `deep` from the
/// payload the check located, not asked for afterwards.
#[test]
fn the_library_reports_vendor_coverage_with_deep_verify_only() {
    let (_temp, dir) = signed_set("inno/inno-6.4.1-signed.exe", "inno-6.4.1-lzma2-solid-spanned");
    let set = airlock::discover(&dir).unwrap();
    let mut roots = airlock::SignerPolicy::builtin();
    roots.add_root_file(&fixture("pki/root.pem")).unwrap();
    let options = airlock::VerifyOptions::default().signer(Some(roots));
    let shallow = airlock::verify(&set, &options, &airlock::NoProgress).unwrap();
    assert!(shallow.vendor.is_none(), "without deep the files were not checked: {:?}", shallow.vendor);
    let deep = airlock::verify(&set, &options.deep(true), &airlock::NoProgress).unwrap();
    let vendor = deep.vendor.expect("a valid signature over a clean deep verify says what it proves");
    assert!(vendor.vendor_verified, "{}", vendor.statement);
    assert_eq!(vendor.signer.as_deref(), Some("Airlock Test Vendor"));
    assert_eq!(vendor.strength, Some(airlock::DigestAlgorithm::Sha256));
    assert_eq!(vendor.files, 8);
}
