//! airlock's signatures and the minisign tool's, without the tool installed:
//! airlock's signatures are checked with the independent `minisign-verify`
//! crate (by minisign's author), and signatures the minisign tool made are
//! committed under `testdata/minisign/` (see its README) and checked by
//! airlock. With `AIRLOCK_ORACLES=1` (`.ci/run`) the live minisign tool is
//! run both ways as well.

mod common;

use std::path::Path;
use std::process::Command;

use common::{NAME, airlock, scratch, testdata};

const SET: &str = "inno/inno-6.4.1-lzma2-solid-spanned";

fn keygen(dir: &Path) -> (String, String) {
    let (public, secret) = (dir.join("airlock.pub"), dir.join("airlock.key"));
    airlock(["keygen", "--no-password", "-p", public.to_str().unwrap(), "-s", secret.to_str().unwrap()]).expect(0);
    (public.to_string_lossy().into_owned(), secret.to_string_lossy().into_owned())
}

/// Checks `file` against `file.minisig` with minisign-verify and `public`.
fn minisign_verify(public: &Path, file: &Path) -> Result<(), String> {
    let key_text = std::fs::read_to_string(public).unwrap();
    let key = minisign_verify::PublicKey::decode(&key_text).map_err(|e| e.to_string())?;
    let signature_text = std::fs::read_to_string(format!("{}.minisig", file.display())).unwrap();
    let signature = minisign_verify::Signature::decode(&signature_text).map_err(|e| e.to_string())?;
    let data = std::fs::read(file).unwrap();
    key.verify(&data, &signature, false).map_err(|e| e.to_string())
}

#[test]
fn minisign_verify_accepts_airlocks_signatures_and_rejects_altered_manifests() {
    let temp = tempfile::tempdir().unwrap();
    let (public, secret) = keygen(temp.path());
    let media = temp.path().join("media");
    airlock(["stage", "--sign", &secret, testdata(SET).to_str().unwrap(), media.to_str().unwrap()]).expect(0);
    for manifest in ["SHA256SUMS".to_owned(), format!("{NAME}.manifest.json")] {
        let path = media.join(&manifest);
        minisign_verify(Path::new(&public), &path).unwrap_or_else(|e| panic!("{manifest}: {e}"));
        // The same check fails once the manifest changes.
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[0] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        assert!(minisign_verify(Path::new(&public), &path).is_err(), "{manifest}: an altered manifest verified");
    }
}

#[test]
fn signatures_made_by_the_minisign_tool_verify_and_bind_to_their_key() {
    let signed = testdata("minisign");
    let tool_public = signed.join("tool.pub");
    for (manifest, kind) in [("SHA256SUMS", "prehashed"), ("SHA256SUMS-legacy", "legacy")] {
        let (_t, dir) = scratch(SET);
        std::fs::copy(signed.join(manifest), dir.join("SHA256SUMS")).unwrap();
        std::fs::copy(signed.join(format!("{manifest}.minisig")), dir.join("SHA256SUMS.minisig")).unwrap();
        airlock(["verify", "--trust", tool_public.to_str().unwrap(), dir.to_str().unwrap()])
            .expect(0)
            .mentions(&["verified with the trusted key"]);
        // Another key does not vouch for the tool's signature.
        let (other_public, _) = keygen(dir.parent().unwrap());
        airlock(["verify", "--trust", &other_public, dir.to_str().unwrap()]).expect(1);
        // A manifest changed after signing is refused ({kind} signature).
        let text = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
        std::fs::write(dir.join("SHA256SUMS"), text.replacen('0', "1", 1)).unwrap();
        let run = airlock(["verify", "--trust", tool_public.to_str().unwrap(), dir.to_str().unwrap()]);
        assert_eq!(run.code(), 1, "{kind}: an altered manifest passed\n{}", run.dump());
    }
}

/// The live tool, both ways. Runs only with `AIRLOCK_ORACLES=1` (as `.ci/run`
/// sets it), and then fails if the minisign tool is missing; without the
/// variable it checks nothing and says so.
#[test]
fn signatures_interoperate_with_the_live_minisign_tool() {
    if std::env::var("AIRLOCK_ORACLES").as_deref() != Ok("1") {
        eprintln!("skipped: set AIRLOCK_ORACLES=1 (as .ci/run does) to run the minisign tool");
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let (public, secret) = keygen(temp.path());
    let media = temp.path().join("media");
    airlock(["stage", "--sign", &secret, testdata(SET).to_str().unwrap(), media.to_str().unwrap()]).expect(0);
    for manifest in ["SHA256SUMS".to_owned(), format!("{NAME}.manifest.json")] {
        let status = Command::new("minisign")
            .args(["-Vm"])
            .arg(media.join(&manifest))
            .args(["-p", &public, "-q"])
            .status()
            .expect("AIRLOCK_ORACLES=1 but the minisign tool is not installed (apt-get install minisign)");
        assert!(status.success(), "minisign rejected airlock's signature of {manifest}");
    }
    let (tool_public, tool_secret) = (temp.path().join("tool.pub"), temp.path().join("tool.key"));
    let generated = Command::new("minisign")
        .args(["-G", "-W", "-p"])
        .arg(&tool_public)
        .arg("-s")
        .arg(&tool_secret)
        .output()
        .unwrap();
    assert!(generated.status.success(), "{}", String::from_utf8_lossy(&generated.stderr));
    let json = media.join(format!("{NAME}.manifest.json"));
    let signed = Command::new("minisign").args(["-S", "-s"]).arg(&tool_secret).arg("-m").arg(&json).output().unwrap();
    assert!(signed.status.success(), "{}", String::from_utf8_lossy(&signed.stderr));
    airlock(["verify", "--trust", tool_public.to_str().unwrap(), media.to_str().unwrap()]).expect(0);
    airlock(["verify", "--trust", &public, media.to_str().unwrap()]).expect(1);
}
