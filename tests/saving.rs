//! Saving under failure, through every path that writes a file: saving in the
//! TUI (`appraise::save` via the app), exports (`appraise export`), and new
//! scoresheets (`appraise sheet new`). In every case either the original file
//! or the new one is intact, never a truncated one, and the message says what
//! happened.
//!
//! A full disk is a real one where a small tmpfs can be mounted (as root);
//! elsewhere the same checks run in a child process whose file size is
//! limited with `ulimit -f`, so writes fail part-way just the same. The
//! writer's own unit tests (`src/save.rs`) also fail it part-way in memory.
#![cfg(unix)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use appraise::atomic::{self, WriteError};
use appraise::document;
use appraise::export::{self, ExportOptions, Format};
use appraise::save::{self, SaveError};
use appraise::tui::{Action, App};
use common::screen::{screen, update};

mod common;
use common::pty::Session;
use common::users::{OTHER_USER, as_other_user, gid_of, second_user, uid_of};

const BIN: &str = env!("CARGO_BIN_EXE_appraise");

/// An appraisal of some tens of kilobytes, so that writing it takes long
/// enough to be caught part-way and is larger than the file size limit.
fn big(seed: u64, options: usize) -> String {
    appraise::synth::appraisal_toml(appraise::synth::Spec {
        options,
        criteria: 10,
        notes: true,
        seed,
    })
}

/// File names in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("listable")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// No temporary files were left behind.
fn no_temp_files(dir: &Path) {
    let names = listing(dir);
    assert!(
        names.iter().all(|n| !n.starts_with(".appraise-save-")),
        "temporary files left behind: {names:?}"
    );
}

/// Opens `path` in the TUI's state, changes one score, and returns the app.
fn edited_app(path: &Path) -> App {
    let mut app = App::open(path).expect("opens");
    update(&mut app, Action::Digit(1));
    if !app.doc.is_dirty() {
        update(&mut app, Action::Digit(2));
    }
    assert!(app.doc.is_dirty(), "the edit took");
    app
}

fn message(app: &App) -> String {
    app.view
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

// ---------------------------------------------------------------- read-only

#[test]
fn a_read_only_file_is_never_replaced_and_the_user_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    let original = big(1, 5);
    std::fs::write(&path, &original).unwrap();
    let report = dir.path().join("report.md");
    std::fs::write(&report, "an earlier report\n").unwrap();
    for p in [&path, &report] {
        let mut perms = std::fs::metadata(p).unwrap().permissions();
        perms.set_readonly(true);
        std::fs::set_permissions(p, perms).unwrap();
    }

    // The TUI: Ctrl-s says why and keeps the work.
    let mut app = edited_app(&path);
    update(&mut app, Action::Save);
    let msg = message(&app);
    assert!(
        msg.starts_with("Not saved: ")
            && msg.contains("review.toml is read-only, so it was not changed")
            && msg.contains("save under another name"),
        "{msg}"
    );
    assert!(
        app.doc.is_dirty(),
        "the changes are still there to save elsewhere"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);

    // Saving elsewhere works.
    let copy = dir.path().join("copy.toml");
    let job = app
        .doc
        .save_job(Some(&copy), false, false)
        .expect("save as");
    appraise::tui::runner::perform_now(
        &mut app,
        vec![appraise::tui::effect::Effect::Save {
            job,
            then_quit: false,
        }],
    );
    assert!(!app.doc.is_dirty(), "{}", message(&app));

    // An export over a read-only report.
    let out = Command::new(BIN)
        .args([
            "export",
            "review.toml",
            "--format",
            "md",
            "--out",
            "report.md",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("report.md is read-only, so it was not changed"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&report).unwrap(),
        "an earlier report\n"
    );

    // A scoresheet replaced with --force.
    let sheet = dir.path().join("sheet.toml");
    std::fs::write(&sheet, "member's scores\n").unwrap();
    let mut perms = std::fs::metadata(&sheet).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&sheet, perms).unwrap();
    let out = Command::new(BIN)
        .args(["sheet", "new", "review.toml", "--member", "Cllr A"])
        .args(["--out", "sheet.toml", "--force"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the sheet was not written")
            && stderr.contains("sheet.toml is read-only, so it was not changed"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&sheet).unwrap(),
        "member's scores\n"
    );
    no_temp_files(dir.path());
}

// ---------------------------------------------------------------- full disk

/// A small tmpfs, unmounted when dropped.
struct Tmpfs {
    dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts one if this process may (root, with mounting allowed).
    fn mount(size_kib: u32) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size_kib}k")])
            .arg("tmpfs")
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(Tmpfs { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Fills the file system holding `dir` until a write fails.
fn fill(dir: &Path) {
    let mut f = std::fs::File::create(dir.join("filler")).unwrap();
    let block = vec![0u8; 4096];
    while f.write_all(&block).is_ok() {}
    // Whatever is left is less than one block; take it byte by byte.
    while f.write_all(&[0]).is_ok() {}
    let _ = f.sync_all();
}

/// Sets up `dir` for the full-disk checks: an appraisal and an earlier report.
fn full_disk_setup(dir: &Path) -> (String, String) {
    let original = big(2, 40);
    std::fs::write(dir.join("review.toml"), &original).unwrap();
    let report = "an earlier report\n".to_string();
    std::fs::write(dir.join("report.md"), &report).unwrap();
    (original, report)
}

/// The checks on a disk where writes fail: `reason` is how the message
/// words the failure ("the disk is full", or the file size limit).
fn full_disk_checks(dir: &Path, original: &str, report: &str, reason: &str) {
    let path = dir.join("review.toml");

    // The library's save, as the TUI calls it.
    let loaded = appraise::load_path(&path).unwrap();
    let mut a = loaded.appraisal.clone();
    let now = a.options()[0].score(0);
    a.set_score(0, 0, Some(if now == Some(1.0) { 2.0 } else { 1.0 }))
        .unwrap();
    let err = save::save(&path, Some(original), &a, None, false).unwrap_err();
    assert!(
        matches!(err, SaveError::Write(WriteError::Io { .. })),
        "{err}"
    );
    let msg = err.to_string();
    assert!(
        msg.contains("review.toml") && msg.contains(reason) && msg.contains("not changed"),
        "{msg}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);

    // The TUI: the message says what happened; the work is still there.
    let mut app = edited_app(&path);
    update(&mut app, Action::Save);
    let msg = message(&app);
    assert!(
        msg.starts_with("Not saved: could not write")
            && msg.contains(reason)
            && msg.contains("the file on disk was not changed"),
        "{msg}"
    );
    assert!(app.doc.is_dirty());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);

    // An export replacing an earlier report.
    let out = Command::new(BIN)
        .args([
            "export",
            "review.toml",
            "--format",
            "html",
            "--out",
            "report.md",
        ])
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("report.md") && stderr.contains(reason) && stderr.contains("not changed"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("report.md")).unwrap(),
        report
    );

    // A new scoresheet: not created at all, rather than half written.
    let out = Command::new(BIN)
        .args(["sheet", "new", "review.toml", "--member", "Cllr A"])
        .args(["--out", "sheet.toml"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the sheet was not written") && stderr.contains(reason),
        "{stderr}"
    );
    assert!(!dir.join("sheet.toml").exists());
    no_temp_files(dir);
}

#[test]
fn a_full_disk_leaves_every_file_intact_and_says_so() {
    match Tmpfs::mount(512) {
        Some(fs) => {
            let (original, report) = full_disk_setup(fs.path());
            fill(fs.path());
            full_disk_checks(fs.path(), &original, &report, "the disk is full");
        }
        None => eprintln!("cannot mount a tmpfs here; the file size limit test stands in"),
    }
}

/// The same checks with writes failing at a file size limit: runs anywhere.
#[test]
fn a_file_size_limit_leaves_every_file_intact_and_says_so() {
    if let Some(dir) = std::env::var_os("APPRAISE_TEST_LIMITED_DIR") {
        // The child: writes larger than the limit fail with "File too large".
        let dir = PathBuf::from(dir);
        let original = std::fs::read_to_string(dir.join("review.toml")).unwrap();
        let report = std::fs::read_to_string(dir.join("report.md")).unwrap();
        full_disk_checks(&dir, &original, &report, "larger than this system allows");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    full_disk_setup(dir.path());
    // Ignore SIGXFSZ so an oversized write fails with an error instead of
    // killing the process; an ignored signal stays ignored across exec.
    let out = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\"")
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_file_size_limit_leaves_every_file_intact_and_says_so",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("APPRAISE_TEST_LIMITED_DIR", dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the limited child failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("1 passed"),
        "the child ran the checks"
    );
}

#[test]
fn a_read_only_disk_leaves_every_file_intact_and_says_so() {
    let Some(fs) = Tmpfs::mount(512) else {
        eprintln!("cannot mount a tmpfs here; skipping the read-only disk case");
        return;
    };
    let (original, report) = full_disk_setup(fs.path());
    let remounted = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(fs.path())
        .status()
        .is_ok_and(|s| s.success());
    assert!(remounted, "a tmpfs we mounted can be made read-only");
    full_disk_checks(fs.path(), &original, &report, "the disk is read-only");
}

// ------------------------------------------------ deleted or replaced while open

#[test]
fn a_file_deleted_while_open_is_noticed_and_saved_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    let original = big(3, 4);
    std::fs::write(&path, &original).unwrap();
    let mut app = edited_app(&path);
    std::fs::remove_file(&path).unwrap();
    assert!(app.doc.missing_on_disk());
    assert!(!app.doc.changed_on_disk());
    update(&mut app, Action::Save);
    assert!(message(&app).starts_with("Saved to"), "{}", message(&app));
    let back = appraise::load_path(&path).unwrap().appraisal;
    assert_eq!(&back, app.doc.appraisal());
    assert!(!app.doc.missing_on_disk());
}

#[test]
fn a_file_replaced_while_open_is_never_overwritten_without_asking() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    let original = big(4, 4);
    std::fs::write(&path, &original).unwrap();
    let mut app = edited_app(&path);
    // Another program replaces the file (as editors do: new file, rename).
    let theirs = big(5, 4);
    let tmp = dir.path().join("theirs.tmp");
    std::fs::write(&tmp, &theirs).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    assert!(app.doc.changed_on_disk());

    update(&mut app, Action::Save);
    assert!(
        matches!(
            &app.view.mode,
            appraise::tui::app::Mode::Confirm(appraise::tui::app::Confirm::RecoveryClash(k))
                if k.save.is_some()
        ),
        "asks before overwriting, showing what differs"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    // Cancelling keeps both: their file on disk, our work in the app.
    update(&mut app, Action::Input(appraise::tui::action::Input::Esc));
    assert!(
        message(&app).contains("Not saved. Your changes are still here"),
        "{}",
        message(&app)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    assert!(app.doc.is_dirty());
    // Choosing all of ours (o, or y) writes ours whole.
    update(&mut app, Action::Save);
    update(
        &mut app,
        Action::Input(appraise::tui::action::Input::Char('o')),
    );
    assert!(message(&app).starts_with("Saved to"), "{}", message(&app));
    assert_eq!(
        &appraise::load_path(&path).unwrap().appraisal,
        app.doc.appraisal()
    );
}

const SMALL: &str = r#"[appraisal]
title = "Library review"

[scale]
min = 0
max = 5

[[criteria]]
id = "cost"
name = "Cost"

[[options]]
id = "keep"
name = "Keep all branches"
scores = { cost = 1 }
"#;

#[test]
fn the_running_tui_warns_when_its_file_is_deleted_or_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    std::fs::write(&path, SMALL).unwrap();
    let mut s = Session::start_with(&["tui", "review.toml"], dir.path(), None, 100);
    s.wait_for("Keep all branches");
    s.keys(b"3");
    s.wait_for("Unsaved changes");

    // Deleted: the runner notices within a few seconds, and Ctrl-s recreates it.
    std::fs::remove_file(&path).unwrap();
    s.wait_for("review.toml was deleted or moved elsewhere; Ctrl-s will save it again");
    s.keys(b"\x13");
    s.wait_for("Saved to");
    let back = appraise::load_path(&path).unwrap().appraisal;
    assert_eq!(back.options()[0].score(0), Some(3.0));

    // Replaced by another program: a warning, then Ctrl-s asks first.
    s.keys(b"4");
    let theirs = SMALL.replace("Keep all branches", "Their version");
    std::fs::write(&path, &theirs).unwrap();
    s.wait_for("review.toml was changed elsewhere; Ctrl-s will ask before overwriting it");
    s.keys(b"\x13");
    s.wait_for("The file was changed elsewhere since you opened it");
    s.keys(b"\x1b");
    s.wait_for("Not saved. Your changes are still here");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    s.keys(b"\x13");
    s.wait_for("The file was changed elsewhere since you opened it");
    // Their new name is offered on a line of its own, kept unless chosen.
    s.wait_for("Weights, names and descriptions");
    s.keys(b"y");
    s.wait_for("Saved to");
    let back = appraise::load_path(&path).unwrap().appraisal;
    assert_eq!(back.options()[0].score(0), Some(4.0));
    assert_eq!(back.options()[0].name(), "Keep all branches");
}

// ------------------------------------------------------- killed mid-save

/// A tiny seeded generator for kill times, so runs are repeatable in intent.
fn next(state: &mut u64) -> u64 {
    *state = state
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    *state >> 33
}

/// What the child saves, alternately, in a loop: two versions of each file.
struct Versions {
    appraisal: [String; 2],
    export: [Vec<u8>; 2],
    sheet: Vec<u8>,
    original: String,
    edited: [appraise::Appraisal; 2],
}

fn versions() -> Versions {
    let original = big(6, 200);
    let loaded = appraise::load_str("v", &original).unwrap();
    let mut edited = [loaded.appraisal.clone(), loaded.appraisal.clone()];
    edited[0].set_score(0, 0, Some(0.0)).unwrap();
    edited[1].set_score(0, 0, Some(5.0)).unwrap();
    edited[1]
        .option_mut(1)
        .unwrap()
        .set_note(1, Some("Changed".into()))
        .unwrap();
    let appraisal = [
        document::update_document(&original, &edited[0]).unwrap(),
        document::update_document(&original, &edited[1]).unwrap(),
    ];
    let export = [0, 1].map(|i| {
        let mut out = Vec::new();
        let results = appraise::compute(&edited[i]);
        export::export(
            &edited[i],
            &results,
            &ExportOptions::default(),
            Format::Html,
            &mut out,
        )
        .unwrap();
        out
    });
    let sheet = appraise::panel::sheet::blank_sheet(&edited[0], "review.toml", "Cllr A")
        .repeat(20)
        .into_bytes();
    Versions {
        appraisal,
        export,
        sheet,
        original,
        edited,
    }
}

/// The child: saves in a loop until killed, printing a line after each save.
#[test]
fn killed_mid_save_child() {
    let Some(dir) = std::env::var_os("APPRAISE_TEST_KILL_DIR") else {
        return;
    };
    let dir = PathBuf::from(dir);
    let v = versions();
    let mut out = std::io::stdout();
    let _ = writeln!(out, "ready");
    for i in 0u64.. {
        let k = (i % 2) as usize;
        save::save(
            &dir.join("review.toml"),
            Some(&v.original),
            &v.edited[k],
            None,
            true,
        )
        .unwrap();
        export::save::write_atomic(&dir.join("report.html"), &v.export[k]).unwrap();
        atomic::write_new(&dir.join(format!("sheet-{i}.toml")), &v.sheet).unwrap();
        let _ = writeln!(out, "saved {i}");
        let _ = out.flush();
    }
}

#[test]
fn a_save_killed_at_any_moment_leaves_the_old_or_the_new_file() {
    let v = versions();
    let dir = tempfile::tempdir().unwrap();
    let review = dir.path().join("review.toml");
    let report = dir.path().join("report.html");
    std::fs::write(&review, &v.appraisal[1]).unwrap();
    std::fs::write(&report, &v.export[1]).unwrap();
    // Each kill lands at a random moment of one round of the child's saves,
    // timed by the child's own first round: a round timed here instead runs
    // at another pace from the child's (a cold cache, a slow flush on a
    // loaded machine), and kills timed by it could all land before the
    // child had finished a single save, or all in its first.
    let mut seed = 7u64;
    let mut saves = 0;
    let rounds = 16;
    let mut longest = 0;
    for _ in 0..rounds {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "killed_mid_save_child",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("APPRAISE_TEST_KILL_DIR", dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait for its first round of saves, timing it, then kill it at a
        // random moment of a later one.
        let mut stdout = child.stdout.take().unwrap();
        let mut seen = Vec::new();
        let mut buf = [0u8; 256];
        let mut ready_at = None;
        let round = loop {
            let n = stdout.read(&mut buf).unwrap();
            assert!(n > 0, "the child saves: {}", String::from_utf8_lossy(&seen));
            seen.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&seen);
            if ready_at.is_none() && text.contains("ready") {
                ready_at = Some(Instant::now());
            }
            if let Some(t) = ready_at.filter(|_| text.contains("saved 0")) {
                break t.elapsed().as_millis().max(1) as u64;
            }
        };
        longest = longest.max(round);
        std::thread::sleep(Duration::from_millis(next(&mut seed) % (round + 1)));
        child.kill().unwrap(); // SIGKILL: no clean-up runs.
        child.wait().unwrap();
        stdout.read_to_end(&mut seen).unwrap();
        saves += String::from_utf8_lossy(&seen).matches("saved ").count();

        let now = std::fs::read_to_string(&review).unwrap();
        assert!(
            now == v.appraisal[0] || now == v.appraisal[1],
            "review.toml is neither version ({} bytes)",
            now.len()
        );
        let now = std::fs::read(&report).unwrap();
        assert!(
            now == v.export[0] || now == v.export[1],
            "report.html is torn"
        );
        for name in listing(dir.path()) {
            if name.starts_with("sheet-") {
                let bytes = std::fs::read(dir.path().join(&name)).unwrap();
                assert!(bytes == v.sheet, "{name} is partly written");
                std::fs::remove_file(dir.path().join(&name)).unwrap();
            }
        }
    }
    eprintln!("{rounds} kills, {saves} complete saves between them, rounds of up to {longest} ms");
    // A hard kill can leave a hidden temporary file, never a partial target.
    for name in listing(dir.path()) {
        assert!(
            ["review.toml", "report.html"].contains(&name.as_str())
                || name.starts_with(".appraise-save-"),
            "unexpected {name}"
        );
    }
}

// ------------------------------------------------------- file security

/// A folder everyone may write to, as shared folders often are.
fn shared_folder() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    dir
}

const SHEET_ARGS: [&str; 7] = [
    "sheet",
    "new",
    "review.toml",
    "--member",
    "Cllr X",
    "--out",
    "sheet.toml",
];

#[test]
fn another_users_file_in_a_shared_folder_is_not_taken_over() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let test = "another_users_file_in_a_shared_folder_is_not_taken_over";
    let Some(runuser) = second_user(test) else {
        return;
    };
    let dir = shared_folder();
    std::fs::write(dir.path().join("review.toml"), big(3, 3)).unwrap();
    // Root's file, readable by all, writable by root only, in a folder
    // anyone may write to: the rename alone would be allowed.
    let sheet = dir.path().join("sheet.toml");
    std::fs::write(&sheet, "precious\n").unwrap();
    std::fs::set_permissions(&sheet, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut args = SHEET_ARGS.to_vec();
    args.push("--force");
    let out = as_other_user(&runuser, dir.path(), &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "refused: {stderr}");
    assert!(stderr.contains("sheet.toml is read-only"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&sheet).unwrap(), "precious\n");
    assert_eq!(std::fs::metadata(&sheet).unwrap().uid(), 0, "still root's");
    no_temp_files(dir.path());

    // The mode says anyone may write it, but an ACL says this user may only
    // read it: the system is asked, not the mode bits.
    let Some(setfacl) = common::tools::find(test, "setfacl", "APPRAISE_TEST_SETFACL") else {
        return;
    };
    std::fs::set_permissions(&sheet, std::fs::Permissions::from_mode(0o666)).unwrap();
    let acl = format!("u:{OTHER_USER}:r");
    assert!(
        Command::new(&setfacl)
            .args(["-m", &acl])
            .arg(&sheet)
            .status()
            .unwrap()
            .success()
    );
    let out = as_other_user(&runuser, dir.path(), &args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "refused: {stderr}");
    assert!(stderr.contains("sheet.toml is read-only"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&sheet).unwrap(), "precious\n");
}

#[test]
fn saving_keeps_the_acl_and_extended_attributes() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let test = "saving_keeps_the_acl_and_extended_attributes";
    let Some(runuser) = second_user(test) else {
        return;
    };
    let Some(setfacl) = common::tools::find(test, "setfacl", "APPRAISE_TEST_SETFACL") else {
        return;
    };
    let dir = shared_folder();
    std::fs::write(dir.path().join("review.toml"), big(3, 3)).unwrap();
    // The second user's own sheet; a named colleague (nobody) may read it,
    // the group may not.
    let sheet = dir.path().join("sheet.toml");
    std::fs::write(&sheet, "old\n").unwrap();
    std::fs::set_permissions(&sheet, std::fs::Permissions::from_mode(0o600)).unwrap();
    let uid = uid_of(OTHER_USER);
    let gid = gid_of(OTHER_USER);
    std::os::unix::fs::chown(&sheet, Some(uid), Some(gid)).unwrap();
    assert!(
        Command::new(&setfacl)
            .args(["-m", "u:nobody:r"])
            .arg(&sheet)
            .status()
            .unwrap()
            .success()
    );
    xattr::set(&sheet, "user.appraise.test", b"kept").unwrap();
    let acl = xattr::get(&sheet, "system.posix_acl_access").unwrap();
    assert!(acl.is_some(), "the ACL is set");
    let mode = std::fs::metadata(&sheet).unwrap().mode();

    let mut args = SHEET_ARGS.to_vec();
    args.push("--force");
    let out = as_other_user(&runuser, dir.path(), &args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::fs::read_to_string(&sheet).unwrap().contains("Cllr X"));
    assert_eq!(xattr::get(&sheet, "system.posix_acl_access").unwrap(), acl);
    assert_eq!(
        xattr::get(&sheet, "user.appraise.test").unwrap().as_deref(),
        Some(&b"kept"[..])
    );
    let m = std::fs::metadata(&sheet).unwrap();
    assert_eq!(m.mode(), mode, "the mode (and the ACL's mask) is kept");
    assert_eq!(m.uid(), uid);
    no_temp_files(dir.path());
}

#[test]
fn a_file_with_hard_links_is_not_split_from_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    let other = dir.path().join("other-name.toml");
    let original = big(4, 3);
    std::fs::write(&path, &original).unwrap();
    std::fs::hard_link(&path, &other).unwrap();
    let mut app = edited_app(&path);
    update(&mut app, Action::Save);
    let msg = message(&app);
    assert!(
        msg.contains("hard links") && msg.contains("save under another name"),
        "{msg}"
    );
    assert!(app.doc.is_dirty(), "the work is still there");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), original);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), original);
    no_temp_files(dir.path());
}

#[test]
fn temporary_files_left_by_a_crash_are_cleaned_up_when_safe() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    std::fs::write(&path, big(5, 3)).unwrap();
    let crashed = dir.path().join(".appraise-save-Q1w2E3");
    let in_progress = dir.path().join(".appraise-save-R4t5Y6");
    std::fs::write(&crashed, "half a file").unwrap();
    std::fs::write(&in_progress, "being written").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&crashed)
        .unwrap()
        .set_modified(std::time::SystemTime::now() - Duration::from_secs(3600))
        .unwrap();
    let _app = App::open(&path).unwrap();
    assert!(!crashed.exists(), "an hour-old leftover is removed");
    assert!(in_progress.exists(), "a fresh one may be another save's");
}

#[test]
fn restoring_work_after_a_colleague_changed_the_file_shows_each_cell() {
    use appraise::tui::Input;
    use appraise::tui::app::{Confirm, Mode};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("review.toml");
    let original = big(6, 5);
    std::fs::write(&path, &original).unwrap();
    // A copy scores one cell, keeps it in its recovery file, and crashes.
    let mut mine = App::open(&path).unwrap();
    let yours = if mine.doc.appraisal().options()[0].score(0) == Some(4.0) {
        1.0
    } else {
        4.0
    };
    mine.doc
        .apply(appraise::tui::edit::Edit::Score {
            o: 0,
            c: 0,
            old: mine.doc.appraisal().options()[0].score(0),
            new: Some(yours),
        })
        .unwrap();
    mine.doc.flush_recovery().unwrap();
    drop(mine);
    // Then a colleague changes three other scores and saves.
    let mut theirs = appraise::load_path(&path).unwrap().appraisal;
    let mut changed = Vec::new();
    for o in 1..4 {
        let old = theirs.options()[o].score(1);
        let new = if old == Some(0.0) { 1.0 } else { 0.0 };
        theirs.set_score(o, 1, Some(new)).unwrap();
        changed.push((o, new));
    }
    std::fs::write(
        &path,
        document::update_document(&original, &theirs).unwrap(),
    )
    .unwrap();

    let mut app = App::open(&path).unwrap();
    let Mode::Confirm(Confirm::RecoveryClash(k)) = &app.view.mode else {
        panic!(
            "the differences are shown, not restored blindly: {:?}",
            app.view.mode
        );
    };
    let cells: Vec<(usize, usize)> = k.cells.iter().map(|c| (c.o, c.c)).collect();
    assert_eq!(cells, [(0, 0), (1, 1), (2, 1), (3, 1)]);
    // The recovery file kept the version the work started from, so each cell
    // says who changed it and keeps that person's version unless told
    // otherwise: restoring never silently undoes the colleague's edits.
    use appraise::tui::app::ChangedBy;
    let who: Vec<_> = k.cells.iter().map(|c| c.changed_by()).collect();
    assert_eq!(
        who,
        [
            Some(ChangedBy::You),
            Some(ChangedBy::Them),
            Some(ChangedBy::Them),
            Some(ChangedBy::Them)
        ]
    );
    assert_eq!(k.take_yours, [true, false, false, false]);
    let shown = screen(&app);
    assert!(shown.contains("Changed by"), "{shown}");
    assert!(shown.contains("THEIRS"), "{shown}");
    update(&mut app, Action::Input(Input::Enter));
    assert!(
        message(&app).contains("on 1 of 4 cells"),
        "{}",
        message(&app)
    );
    update(&mut app, Action::Save);
    assert!(message(&app).starts_with("Saved to"), "{}", message(&app));
    let back = appraise::load_path(&path).unwrap().appraisal;
    assert_eq!(back.options()[0].score(0), Some(yours), "your work");
    for (o, new) in changed {
        assert_eq!(
            back.options()[o].score(1),
            Some(new),
            "the colleague's edit"
        );
    }
}
