//! Every path form a user types names the same set, for every command: a
//! bare name run from inside the set's folder, `./`, `../`, an absolute path,
//! the folder with and without a trailing slash, a symlinked folder, and
//! folders with spaces and non-ASCII names.

mod common;

use common::{NAME, airlock, airlock_in, scratch, testdata};

const SET: &str = "inno/inno-6.4.1-lzma2-solid-spanned";

fn exe() -> String {
    format!("{NAME}.exe")
}

#[test]
fn check_takes_a_bare_name_from_inside_the_folder() {
    let (_t, dir) = scratch(SET);
    airlock_in(&dir, ["check", &exe()]).expect(0).mentions(&["complete: 4 part(s)"]);
    airlock_in(&dir, ["check", &format!("{NAME}-2.bin")]).expect(0);
    airlock_in(&dir, ["check", "."]).expect(0);
}

#[test]
fn verify_takes_a_bare_name_from_inside_the_folder() {
    let (_t, dir) = scratch(SET);
    airlock_in(&dir, ["verify", &format!("{NAME}-2.bin")]).expect(0).mentions(&[&format!("{NAME}-2.bin: OK")]);
}

#[test]
fn list_takes_a_bare_name_from_inside_the_folder() {
    let (_t, dir) = scratch(SET);
    airlock_in(&dir, ["list", &exe()]).expect(0).mentions(&["setup.exe"]);
}

#[test]
fn extract_takes_a_bare_name_and_a_relative_destination() {
    let (_t, dir) = scratch(SET);
    airlock_in(&dir, ["extract", &exe(), "-d", "out", "--min-free", "0"]).expect(0);
    assert_eq!(common::tree(&dir.join("out")), common::expected(&testdata(SET).join("EXPECTED.tsv")));
}

#[test]
fn manifest_takes_a_bare_name_from_inside_the_folder() {
    let (_t, dir) = scratch(SET);
    let run = airlock_in(&dir, ["manifest", &exe()]);
    run.expect(0);
    let sums = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let sorted = |text: &str| {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        lines.sort();
        lines
    };
    assert_eq!(sorted(&run.stdout()), sorted(&sums));
}

#[test]
fn stage_takes_a_bare_name_and_a_relative_media_folder() {
    let (_t, dir) = scratch(SET);
    airlock_in(&dir, ["stage", &exe(), "../media"]).expect(0);
    airlock(["verify", dir.parent().unwrap().join("media").to_str().unwrap()]).expect(0);
}

#[test]
fn dot_slash_dot_dot_absolute_and_trailing_slash_forms_all_work() {
    let (temp, dir) = scratch(SET);
    let sub = dir.join("sub");
    std::fs::create_dir(&sub).unwrap();
    airlock_in(&dir, ["check", &format!("./{}", exe())]).expect(0);
    airlock_in(&sub, ["check", &format!("../{}", exe())]).expect(0);
    airlock_in(&sub, ["verify", ".."]).expect(0);
    airlock_in(&sub, ["verify", "../"]).expect(0);
    airlock_in(temp.path(), ["check", "set/"]).expect(0);
    airlock_in(temp.path(), ["check", "set"]).expect(0);
    airlock_in(temp.path(), ["check", &format!("set/sub/../{}", exe())]).expect(0);
    airlock(["check", dir.join(exe()).to_str().unwrap()]).expect(0);
}

#[test]
fn a_symlinked_folder_and_names_with_spaces_and_non_ascii_work() {
    let (temp, dir) = scratch(SET);
    let odd = temp.path().join("Téléchargements 資料");
    std::fs::rename(&dir, &odd).unwrap();
    let link = temp.path().join("link to set");
    std::os::unix::fs::symlink(&odd, &link).unwrap();
    airlock_in(temp.path(), ["check", "Téléchargements 資料"]).expect(0);
    airlock_in(temp.path(), ["verify", &format!("link to set/{NAME}-3.bin")]).expect(0);
    airlock_in(&link, ["check", &exe()]).expect(0);
    airlock_in(temp.path(), ["extract", "link to set/", "-d", "out dir/ü", "--min-free", "0"]).expect(0);
    assert!(temp.path().join("out dir/ü/setup.exe").is_file());
}
