//! What a hostile operator or a bad day throws at casedesk, as the user sees it: empty values
//! that would erase dates, impossible consent dates, values of 128,000 characters, a keymap that
//! is a link to /dev/zero or a FIFO, an import from a FIFO, a failed `init`, a store this
//! account may not read, a full disk, and a journal edited with its hashes recomputed (caught by
//! an anchor from the minutes or a backup).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{TempStore, busy_store, run_in};
use sha2::Digest;

fn case_json(store: &TempStore, case: &str) -> serde_json::Value {
    serde_json::from_str(&store.ok(&["case", "show", case, "--json", "--unmasked"])).unwrap()
}

/// `--review ""` or `--consent "  "` (a script with an empty variable) is refused and erases
/// nothing; only `none`/`없음` clears.
#[test]
fn an_empty_value_is_refused_and_only_none_clears() {
    let tmp = busy_store();
    tmp.ok(&[
        "case",
        "set",
        "2026-0001",
        "--review",
        "+1w",
        "--consent",
        "today",
        "--person",
        "김담당",
    ]);
    let before = case_json(&tmp, "2026-0001");
    for (option, value) in [
        ("--review", ""),
        ("--consent", "  "),
        ("--person", ""),
        ("--co", " "),
        ("--consent-to", ""),
        ("--level", ""),
    ] {
        let err = tmp.fails(&["case", "set", "2026-0001", option, value]);
        assert!(
            err.contains(&format!("{option} was given an empty value"))
                && err.contains(&format!("{option} none")),
            "{option}: {err}"
        );
    }
    let err = tmp.fails(&["action", "set", "2026-0001/1", "--person", ""]);
    assert!(err.contains("--person was given an empty value"), "{err}");
    assert_eq!(case_json(&tmp, "2026-0001"), before, "nothing was erased");
    tmp.ok(&[
        "case",
        "set",
        "2026-0001",
        "--review",
        "none",
        "--consent",
        "없음",
    ]);
    let after = case_json(&tmp, "2026-0001");
    assert_eq!(after["review_on"], serde_json::Value::Null);
    assert_eq!(after["consent"]["collection_on"], serde_json::Value::Null);
}

/// A consent date before the student was born, or after today, is refused.
#[test]
fn a_consent_date_before_birth_or_in_the_future_is_refused() {
    let tmp = TempStore::initialised();
    let case = common::add_student(&tmp, "홍길동", "2015-03-04", &[]);
    let err = tmp.fails(&["case", "set", &case, "--consent", "2015-03-03"]);
    assert!(
        err.contains("the consent date 2015-03-03 is before the student was born (2015-03-04)"),
        "{err}"
    );
    let err = tmp.fails(&["case", "set", &case, "--consent", "2026-11-29"]);
    assert!(err.contains("is after today (2026-11-28)"), "{err}");
    tmp.ok(&["case", "set", &case, "--consent", "2015-03-04"]);
}

/// An error about a value of 128,000 characters quotes a short prefix of it and says how much
/// more there was — one short line, whatever the command and whatever the option.
#[test]
fn an_error_quotes_only_a_short_prefix_of_a_long_value() {
    let tmp = busy_store();
    let long = "가".repeat(32) + &"A".repeat(128_000);
    for args in [
        vec!["case", "set", "2026-0001", "--review", long.as_str()],
        vec!["case", "set", "2026-0001", "--level", long.as_str()],
        vec!["case", "set", "2026-0001", "--lead", long.as_str()],
        vec!["case", "show", long.as_str()],
        vec!["action", "done", long.as_str()],
    ] {
        let err = tmp.fails(&args);
        assert!(
            err.contains(&format!("'{}…(128,000 more characters)'", "가".repeat(32))),
            "{:?}: {}",
            &args[..3],
            &err[..err.len().min(400)]
        );
        assert!(err.len() < 1000, "{:?}: {} bytes", &args[..3], err.len());
        assert_eq!(err.lines().count(), 1);
    }
    // A usage error (clap's) too, with status 2.
    let run = tmp.run(&["demo", "--cases", long.as_str()]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr.contains("…(128,000 more characters)"),
        "{}",
        run.stderr.len()
    );
    assert!(run.stderr.len() < 1000);
    // In Korean too.
    let run = tmp.run_env(&["case", "show", long.as_str()], &[("LANG", "ko_KR.UTF-8")]);
    assert!(
        run.stderr.contains("…(128,000자 더)"),
        "{}",
        &run.stderr[..400]
    );
}

/// Runs the binary with its own config directory and a deadline: a hang is a failure, not a
/// stuck test run.
fn run_with_config(dir: &Path, config: &Path, args: &[&str]) -> common::Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_casedesk"))
        .args(args)
        .env("CASEDESK_DB", dir)
        .env("CASEDESK_NO_SERVER", "1")
        .env("XDG_STATE_HOME", dir.with_file_name("state"))
        .env("CASEDESK_NOW", common::NOW)
        .env("XDG_CONFIG_HOME", config)
        .env("USER", "tester")
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("casedesk {args:?} hung");
        }
        std::thread::yield_now();
    }
    let out = child.wait_with_output().unwrap();
    common::Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn mkfifo(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().unwrap().success();
    assert!(ok, "mkfifo");
}

/// A keymap file that is a link to /dev/zero or a FIFO is refused at once with one line (no
/// hang, no memory eaten); one too large too; a link to nowhere is warned about and the
/// default keys are used.
#[test]
fn a_keymap_that_is_not_a_small_regular_file_is_refused_in_one_line() {
    let tmp = TempStore::initialised();
    let config = tmp.tmp.path().join("config");
    let keymap = config.join("casedesk").join("keymap.toml");
    std::fs::create_dir_all(keymap.parent().unwrap()).unwrap();

    std::os::unix::fs::symlink("/dev/zero", &keymap).unwrap();
    let run = run_with_config(&tmp.dir(), &config, &["keys"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("keymap.toml") && run.stderr.contains("a device, not a regular file"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1);

    std::fs::remove_file(&keymap).unwrap();
    mkfifo(&keymap);
    let run = run_with_config(&tmp.dir(), &config, &["keys"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("a named pipe (FIFO)"), "{}", run.stderr);

    std::fs::remove_file(&keymap).unwrap();
    std::fs::write(&keymap, vec![b'#'; 300 * 1024]).unwrap();
    let run = run_with_config(&tmp.dir(), &config, &["keys"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("too large"), "{}", run.stderr);

    std::fs::remove_file(&keymap).unwrap();
    std::os::unix::fs::symlink(config.join("gone.toml"), &keymap).unwrap();
    let run = run_with_config(&tmp.dir(), &config, &["keys"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("is a link to") && run.stderr.contains("which does not exist"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("quit"), "the default keys are shown");
}

/// `import` of a FIFO, or of /dev/zero, is refused at once instead of hanging or reading
/// forever.
#[test]
fn importing_a_fifo_or_a_device_is_refused_at_once() {
    let tmp = TempStore::initialised();
    let fifo = tmp.tmp.path().join("apps.csv");
    mkfifo(&fifo);
    let config = tmp.tmp.path().join("config");
    let run = run_with_config(&tmp.dir(), &config, &["import", fifo.to_str().unwrap()]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("a named pipe (FIFO), not a regular file"),
        "{}",
        run.stderr
    );
    let run = run_with_config(&tmp.dir(), &config, &["import", "/dev/zero"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("a device"), "{}", run.stderr);
    let run = run_with_config(&tmp.dir(), &config, &["restore", fifo.to_str().unwrap()]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("FIFO"), "{}", run.stderr);
}

/// An `init` that fails (here: an office name too long) leaves nothing behind: no directory it
/// created, and nothing of its own in an empty one it was given.
#[test]
fn a_failed_init_leaves_nothing_behind() {
    let tmp = TempStore::new();
    let long = "가".repeat(300);
    let err = tmp.fails(&["init", "--office", &long]);
    assert!(err.contains("too long"), "{err}");
    assert!(!tmp.dir().exists(), "the directory it made is gone");
    std::fs::create_dir(tmp.dir()).unwrap();
    tmp.fails(&["init", "--office", &long]);
    assert_eq!(std::fs::read_dir(tmp.dir()).unwrap().count(), 0);
    tmp.ok(&["init", "--office", "테스트"]);
}

/// A store this account may not read is said to be one — never "there is no store here".
#[test]
fn a_store_this_account_cannot_read_says_so() {
    let tmp = busy_store();
    let root = rustix::process::geteuid().is_root();
    let run = if root {
        // Root reads everything: ask as another account.
        use std::os::unix::process::CommandExt;
        let out = Command::new(env!("CARGO_BIN_EXE_casedesk"))
            .args(["case", "list"])
            .env("CASEDESK_DB", tmp.dir())
            .env("CASEDESK_NO_SERVER", "1")
            .env("XDG_STATE_HOME", tmp.dir().with_file_name("state"))
            .env("LANG", "C.UTF-8")
            .uid(65534)
            .gid(65534)
            .output()
            .unwrap();
        common::Run {
            code: out.status.code(),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    } else {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.dir(), std::fs::Permissions::from_mode(0o000)).unwrap();
        let run = tmp.run(&["case", "list"]);
        std::fs::set_permissions(tmp.dir(), std::fs::Permissions::from_mode(0o700)).unwrap();
        run
    };
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("cannot be read by this account (permission denied)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("there is no store"), "{}", run.stderr);
    // And where there is none, it says that.
    let none = run_in(&tmp.tmp.path().join("elsewhere"), &["case", "list"], &[]);
    assert!(
        none.stderr.contains("there is no store at"),
        "{}",
        none.stderr
    );
}

/// A small file system that can be filled: a tmpfs mounted for the test (root only), removed
/// when dropped.
struct SmallDisk {
    path: std::path::PathBuf,
}

impl SmallDisk {
    fn mount(at: &Path) -> Option<SmallDisk> {
        if !rustix::process::geteuid().is_root() {
            return None;
        }
        std::fs::create_dir_all(at).ok()?;
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=6m", "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .ok()?
            .success();
        ok.then(|| SmallDisk {
            path: at.to_path_buf(),
        })
    }

    /// Fills the file system to the last byte.
    fn fill(&self) {
        let _ = Command::new("dd")
            .args(["if=/dev/zero", "bs=4k"])
            .arg(format!("of={}", self.path.join("filler").display()))
            .stderr(Stdio::null())
            .status();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).status();
    }
}

/// On a full disk: lists, show and export still work (reading needs no space); a change is
/// refused with "disk full" and the space it needs, and nothing advises a rebuild; a rebuild is
/// refused the same way and leaves the store exactly as it was.
#[test]
fn a_full_disk_still_reads_and_refuses_changes_with_the_space_needed() {
    let outer = tempfile::tempdir().unwrap();
    let mount = outer.path().join("disk");
    let disk = SmallDisk::mount(&mount);
    let fake_full: &[(&str, &str)] = &[("CASEDESK_TEST_FREE_BYTES", "4096")];
    let (dir, env): (std::path::PathBuf, &[(&str, &str)]) = match &disk {
        Some(d) => (d.path.join("store"), &[]),
        None => {
            println!(
                "no small file system could be mounted (not root): showing a full disk through \
                 the test hook CASEDESK_TEST_FREE_BYTES instead"
            );
            (outer.path().join("store"), fake_full)
        }
    };
    let ok = |args: &[&str], env: &[(&str, &str)]| {
        let run = run_in(&dir, args, env);
        assert!(run.success(), "{args:?}: {}", run.stderr);
        run
    };
    ok(&["demo", "--cases", "20", "--seed", "2"], &[]);
    let listed = ok(&["case", "list", "--all"], &[]).stdout;
    if let Some(d) = &disk {
        d.fill();
    }
    let before = common::files_of(&dir);
    assert_eq!(ok(&["case", "list", "--all"], env).stdout, listed);
    ok(&["case", "show", "2025-0001"], env);
    ok(&["export", "cases"], env);
    ok(&["action", "list", "--overdue"], env);
    ok(&["check"], env);

    let run = run_in(&dir, &["note", "add", "2025-0001", "통화"], env);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.contains("disk full: this needs about")
            && run.stderr.contains("KB of free space")
            && run.stderr.contains("nothing was changed"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("rebuild"), "{}", run.stderr);
    let run = run_in(&dir, &["check", "--rebuild"], env);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("disk full"), "{}", run.stderr);
    assert!(!run.stderr.contains("--rebuild"), "{}", run.stderr);
    assert_eq!(
        common::changed_files(&before, &common::files_of(&dir)),
        Vec::<String>::new(),
        "the store is as it was"
    );
    if let Some(d) = &disk {
        std::fs::remove_file(d.path.join("filler")).unwrap();
    }
    ok(&["note", "add", "2025-0001", "통화"], &[]);
    assert!(ok(&["check"], &[]).stdout.starts_with("ok: "));
}

fn sha(text: &str) -> String {
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Rewrites journal line `n` (from 1) with `edit` and recomputes every hash after it, the way
/// someone covering their tracks would: the chain is intact again.
fn forge(dir: &Path, n: usize, edit: impl Fn(&str) -> String) {
    let text = std::fs::read_to_string(dir.join("journal.jsonl")).unwrap();
    let mut prev = "0".repeat(64);
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let cut = line.rfind(",\"hash\":\"").unwrap();
        let mut body: serde_json::Value =
            serde_json::from_str(&format!("{}}}", &line[..cut])).unwrap();
        body["prev"] = serde_json::Value::String(prev.clone());
        let mut body = serde_json::to_string(&body).unwrap();
        if i + 1 == n {
            body = edit(&body);
        }
        let hash = sha(&body);
        out.push_str(&format!(
            "{},\"hash\":\"{hash}\"}}\n",
            &body[..body.len() - 1]
        ));
        prev = hash;
    }
    std::fs::write(dir.join("journal.jsonl"), out).unwrap();
}

fn anchor_in(text: &str) -> String {
    let at = text.find("anchor ").unwrap() + "anchor ".len();
    text[at..]
        .split(|c: char| c.is_whitespace() || c == '<' || c == '(')
        .next()
        .unwrap()
        .to_string()
}

/// The minutes (Markdown, HTML, CSV) and a backup carry the journal's position and head hash;
/// `check` shows the head; `check --anchor` proves the journal up to there unchanged — and
/// catches an edit whose hashes were all recomputed, which plain `check` cannot.
#[test]
fn an_anchor_from_the_minutes_or_a_backup_proves_the_history_unchanged() {
    let tmp = busy_store();
    let conf = tmp.ok(&["conference", "new", "--date", "2026-11-28"]);
    let id = conf.trim();
    let md = tmp.ok(&["conference", "minutes", id, "--format", "md"]);
    let html = tmp.ok(&["conference", "minutes", id, "--format", "html"]);
    let check = tmp.ok(&["check"]);
    let head = check
        .lines()
        .find_map(|l| l.strip_prefix("journal head (anchor): "))
        .unwrap()
        .to_string();
    assert!(head.starts_with("6:") && head.len() == 2 + 64, "{check}");
    assert_eq!(anchor_in(&md), head, "{md}");
    assert_eq!(anchor_in(&html), head);
    assert!(md.contains(&format!("casedesk check --anchor {head}")));
    let csv_dir = tmp.tmp.path().join("csv");
    std::fs::create_dir(&csv_dir).unwrap();
    tmp.ok(&[
        "conference",
        "minutes",
        id,
        "--format",
        "csv",
        "--out",
        csv_dir.to_str().unwrap(),
    ]);
    for entry in std::fs::read_dir(&csv_dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(
            text.lines().next().unwrap().ends_with("journal_anchor"),
            "{text}"
        );
        assert!(text.lines().skip(1).all(|l| l.ends_with(&head)), "{text}");
    }
    let backup = tmp.tmp.path().join("b.jsonl");
    let said = tmp.ok(&["backup", backup.to_str().unwrap()]);
    assert_eq!(anchor_in(&said), head, "{said}");

    tmp.ok(&["note", "add", "2026-0001", "나중 기록"]);
    let out = tmp.ok(&["check", "--anchor", &head]);
    assert!(out.contains(&format!("anchor {head} holds")), "{out}");
    // A prefix of 16 digits is enough to type from paper.
    let short = &head[..2 + 16];
    assert!(tmp.ok(&["check", "--anchor", short]).contains("holds"));

    // Someone rewrites the note in line 5 and recomputes every hash after it.
    forge(&tmp.dir(), 5, |body| {
        body.replace("보호자와 통화", "통화하지 않음")
    });
    std::fs::remove_dir_all(tmp.dir().join("db")).unwrap();
    let _ = std::fs::remove_file(tmp.dir().join("state.cache"));
    let plain = tmp.ok(&["check"]);
    assert!(
        plain.contains("ok: 7 journal entries"),
        "plain check cannot tell: {plain}"
    );
    let run = tmp.run(&["check", "--anchor", &head]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout
            .contains("the anchor does not hold: journal line 6 now has the hash")
            && run
                .stdout
                .contains("was changed since the anchor was taken"),
        "{}",
        run.stdout
    );
    // An anchor past the end: lines were removed.
    let run = tmp.run(&["check", "--anchor", &format!("99:{}", &head[2..])]);
    assert!(
        run.stdout.contains("past the journal's end"),
        "{}",
        run.stdout
    );
    let err = tmp.fails(&["check", "--anchor", "6:abc"]);
    assert!(err.contains("cannot read the anchor"), "{err}");
}
