//! `casedesk export`: CSV in UTF-8 with BOM and JSON; names and restricted notes masked unless
//! `--unmasked`, which is recorded in the journal; files owner-only.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{TempStore, add_student};

fn store() -> TempStore {
    let store = TempStore::initialised();
    add_student(&store, "홍길동", "2016-03-04", &["--domain", "우울"]);
    store.ok(&[
        "action",
        "add",
        "2026-0001",
        "--title",
        "개별 상담",
        "--team",
        "WEE",
        "--due",
        "+3d",
    ]);
    store.ok(&["note", "add", "2026-0001", "담임교사와 통화"]);
    store.ok(&["note", "add", "2026-0001", "학대 정황 진술", "--restricted"]);
    store
}

fn journal(store: &TempStore) -> String {
    std::fs::read_to_string(store.dir().join("journal.jsonl")).unwrap()
}

#[test]
fn csv_has_a_bom_and_masks_names_unless_asked() {
    let store = store();
    let before = journal(&store);
    let out = store.ok(&["export", "cases"]);
    assert!(out.starts_with('\u{feff}'), "BOM for Excel");
    let mut lines = out.trim_start_matches('\u{feff}').lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("number,student,school,grade,birth date")
    );
    let row = lines.next().unwrap();
    assert!(
        row.starts_with("2026-0001,홍*동,한빛초등학교,3-2,2016,"),
        "{row}"
    );
    assert!(!out.contains("홍길동") && !out.contains("2016-03-04"));
    assert_eq!(
        journal(&store),
        before,
        "a masked export is not an audit event"
    );

    let out = store.ok(&["export", "cases", "--unmasked"]);
    assert!(
        out.contains("2026-0001,홍길동,한빛초등학교,3-2,2016-03-04,"),
        "{out}"
    );
    let after = journal(&store);
    let last = after.lines().last().unwrap();
    assert!(
        last.contains("\"type\":\"record_export\"")
            && last.contains("\"what\":\"cases\"")
            && last.contains("\"rows\":1")
            && last.contains("\"to\":\"stdout\""),
        "{last}"
    );
    assert!(
        !last.contains("홍길동"),
        "the trail records the export, not its content"
    );
    // The audit entry replays cleanly.
    store.ok(&["check"]);
}

#[test]
fn korean_headers_with_korean_output() {
    let store = store();
    let out = store.ok(&["--lang", "ko", "export", "actions"]);
    assert!(
        out.starts_with("\u{feff}번호,사례,내용,담당,담당자,기한,상태"),
        "{out}"
    );
    // Vocabulary in the output language in CSV, which people read in a spreadsheet.
    assert!(
        out.contains("2026-0001/1,2026-0001,개별 상담,WEE,,2026-12-01,진행"),
        "{out}"
    );
    // JSON keeps the stable codes for scripts.
    let json = store.ok(&["--lang", "ko", "export", "actions", "--format", "json"]);
    assert!(json.contains("\"status\": \"open\""), "{json}");
}

#[test]
fn restricted_notes_are_withheld_unless_unmasked() {
    let store = store();
    let masked: serde_json::Value =
        serde_json::from_str(&store.ok(&["export", "notes", "--format", "json"])).unwrap();
    let notes = masked.as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["text"], "담임교사와 통화");
    assert_eq!(notes[1]["restricted"], true);
    assert_eq!(notes[1]["text"], serde_json::Value::Null);
    let full: serde_json::Value =
        serde_json::from_str(&store.ok(&["export", "notes", "--format", "json", "--unmasked"]))
            .unwrap();
    assert_eq!(full[1]["text"], "학대 정황 진술");
}

#[test]
fn an_export_file_is_owner_only_and_recorded_with_its_path() {
    let store = store();
    let path = store.tmp.path().join("cases.json");
    let out = store.ok(&[
        "export",
        "cases",
        "--format",
        "json",
        "--unmasked",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert!(out.contains("wrote 1 records to"), "{out}");
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(value[0]["student"], "홍길동");
    assert_eq!(value[0]["domains"], serde_json::json!(["emotional"]));
    let last = journal(&store).lines().last().unwrap().to_string();
    assert!(last.contains(path.to_str().unwrap()), "{last}");
    // A directory that does not exist: a clear error, no file, nothing recorded.
    let before = journal(&store);
    let bad = store.tmp.path().join("no/such/dir/x.csv");
    let err = store.fails(&[
        "export",
        "cases",
        "--unmasked",
        "--out",
        bad.to_str().unwrap(),
    ]);
    assert!(err.contains("could not create"), "{err}");
    assert_eq!(journal(&store), before);
}

#[test]
fn names_inside_free_text_are_masked_and_formulas_stay_text() {
    let store = store();
    store.ok(&["note", "add", "2026-0001", "길동이 어머니와 통화"]);
    store.ok(&[
        "action",
        "add",
        "2026-0001",
        "--title",
        "=1+1 홍길동 면담",
        "--team",
        "WEE",
        "--due",
        "+3d",
    ]);
    let notes = store.ok(&["export", "notes"]);
    assert!(!notes.contains("길동이"), "{notes}");
    assert!(notes.contains("이 어머니와 통화"), "{notes}");
    let actions = store.ok(&["export", "actions"]);
    assert!(!actions.contains("홍길동"), "{actions}");
    assert!(
        actions.contains(",'=1+1"),
        "a formula stays text: {actions}"
    );
    let unmasked = store.ok(&["export", "notes", "--unmasked"]);
    assert!(unmasked.contains("길동이 어머니와 통화"), "{unmasked}");
}
