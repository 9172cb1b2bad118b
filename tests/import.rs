//! `casedesk import`: school application rows in UTF-8, UTF-8 with BOM and CP949, under Korean
//! and English headers; every kind of bad row refused with its row, column and reason and
//! nothing written; the duplicate rule; odd files (empty, binary, UTF-16, 100 MB); and arbitrary
//! bytes never panicking or half-writing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::domain::Ctx;
use casedesk::store::Store;
use casedesk::transfer::import::{ImportOptions, import_bytes};
use common::{TempStore, add_student, ctx};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

const KO_HEADER: &str = "학생 이름,학교,학년,반,생년월일,성별,의뢰자,어려움 영역,세부 항목,배경 항목,신청 사유,요청 지원,신청일";
const EN_HEADER: &str = "Student,School,Grade,Class,Birth date,Sex,Referrer,Domains,Sub-items,Background,Reason,Requested support,Applied on";

/// Three synthetic applications (names made up like the demo generator's).
const ROWS: &str = "\
김하늘,한빛초등학교,3,2,2016-03-04,여,담임 이교사,심리·정서,\"우울, 불안\",한부모,잦은 결석과 무기력,주 1회 상담,2026-11-20
박바다,별빛중학교,2학년,5반,2013.7.9,남,상담교사 최선생,학업,기초학습 부족,\"기초생활수급자; 다문화\",,기초학력 지원,20261125
이솔,해오름고등학교,1-4,,2010년 12월 1일,f,,\"care, economic\",결식,,,,
";

fn cases(store: &TempStore) -> Vec<serde_json::Value> {
    let out = store.ok(&["case", "list", "--all", "--json", "--unmasked"]);
    serde_json::from_str::<Vec<serde_json::Value>>(&out).unwrap()
}

fn write(store: &TempStore, name: &str, bytes: &[u8]) -> String {
    let path = store.tmp.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_str().unwrap().to_string()
}

fn journal(store: &TempStore) -> Vec<u8> {
    std::fs::read(store.dir().join("journal.jsonl")).unwrap()
}

fn cp949(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::EUC_KR.encode(text);
    assert!(!unmappable);
    bytes.into_owned()
}

#[test]
fn applications_are_read_in_every_encoding_under_either_header() {
    for (header, tag) in [(KO_HEADER, "ko"), (EN_HEADER, "en")] {
        let text = format!("{header}\n{ROWS}");
        let encodings: [(&str, Vec<u8>, &str); 3] = [
            ("utf8", text.clone().into_bytes(), "encoding UTF-8 ·"),
            (
                "bom",
                [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
                "encoding UTF-8 (BOM)",
            ),
            (
                "cp949",
                cp949(&text.replace("\n", "\r\n")),
                "encoding CP949",
            ),
        ];
        for (enc, bytes, says) in encodings {
            let store = TempStore::initialised();
            let file = write(&store, &format!("{tag}-{enc}.csv"), &bytes);
            let out = store.ok(&["import", &file]);
            assert!(out.contains(says), "{tag} {enc}: {out}");
            assert!(
                out.contains("imported 3 cases (lead CENTER, at intake): 2026-0001 … 2026-0003"),
                "{out}"
            );
            let list = cases(&store);
            assert_eq!(list.len(), 3, "{tag} {enc}");
            let show: serde_json::Value = serde_json::from_str(&store.ok(&[
                "case",
                "show",
                "2026-0001",
                "--json",
                "--unmasked",
            ]))
            .unwrap();
            assert_eq!(show["student"], "김하늘", "{tag} {enc}");
            assert_eq!(show["school"], "한빛초등학교");
            assert_eq!(show["grade"], "3-2");
            assert_eq!(show["stage"], "intake");
            assert_eq!(show["lead_team"], "CENTER");
            assert_eq!(show["domains"], serde_json::json!(["emotional"]));
            assert_eq!(
                show["concerns"],
                serde_json::json!(["depression", "anxiety"])
            );
            assert_eq!(show["referred_on"], "2026-11-20");
            let detail = store.ok(&["case", "show", "2026-0001", "--unmasked"]);
            assert!(detail.contains("2016-03-04"), "{detail}");
            assert!(detail.contains("담임 이교사"), "{detail}");
            assert!(detail.contains("신청 사유: 잦은 결석과 무기력"), "{detail}");
            assert!(detail.contains("요청 지원: 주 1회 상담"), "{detail}");
            assert!(detail.contains("배경: 한부모"), "{detail}");
            let second: serde_json::Value =
                serde_json::from_str(&store.ok(&["case", "show", "2026-0002", "--json"])).unwrap();
            assert_eq!(second["grade"], "2-5");
            assert_eq!(second["concerns"], serde_json::json!(["basic_learning"]));
            assert_eq!(second["referred_on"], "2026-11-25");
            let third: serde_json::Value =
                serde_json::from_str(&store.ok(&["case", "show", "2026-0003", "--json"])).unwrap();
            assert_eq!(third["domains"], serde_json::json!(["care", "economic"]));
            assert_eq!(third["grade"], "1-4");
            store.ok(&["check"]);
        }
    }
}

#[test]
fn decomposed_hangul_is_stored_composed() {
    let store = TempStore::initialised();
    let text = format!(
        "학생 이름,학교,학년\n{},한빛초등학교,3\n",
        "김하늘".nfd().collect::<String>()
    );
    let file = write(&store, "nfd.csv", text.as_bytes());
    store.ok(&["import", &file]);
    assert_eq!(cases(&store)[0]["student"], "김하늘");
}

#[test]
fn tab_separated_text_is_read_too() {
    let store = TempStore::initialised();
    let file = write(
        &store,
        "t.tsv",
        "학생 이름\t학교\t학년\n김하늘\t한빛초등학교\t3\n".as_bytes(),
    );
    store.ok(&["import", &file]);
    assert_eq!(cases(&store).len(), 1);
}

#[test]
fn the_encoding_can_be_forced_and_a_wrong_one_is_refused() {
    let store = TempStore::initialised();
    let text = format!("{KO_HEADER}\n{ROWS}");
    let file = write(&store, "k.csv", &cp949(&text));
    let err = store.fails(&["import", &file, "--encoding", "utf-8"]);
    assert!(err.contains("the text is not UTF-8 (at byte 0)"), "{err}");
    assert!(err.contains("--encoding"), "{err}");
    store.ok(&["import", &file, "--encoding", "cp949"]);
    assert_eq!(cases(&store).len(), 3);
}

#[test]
fn every_kind_of_bad_row_is_listed_and_nothing_is_imported() {
    let store = TempStore::initialised();
    let before = journal(&store);
    let long = "가".repeat(101);
    let text = format!(
        "{KO_HEADER}\n\
         김하늘,한빛초등학교,3,2,2016-03-04,여,,학업,,,,,\n\
         ,한빛초등학교,3,2,,,,,,,,,\n\
         박바다,,7,0,3/4/2015,중,,수학,우울,부자,,,\n\
         {long},한빛초등학교,3,,2030-01-01,,,,,,,,2026/13/01\n\
         이솔,별빛중학교,3\n\
         최강,별빛중학교,3,,,,,,,,,,,넘친칸\n"
    );
    let file = write(&store, "bad.csv", text.as_bytes());
    let run = store.run(&["import", &file]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let expected = [
        "row 3, 'student': empty, but it is required",
        "row 4, 'school': empty, but it is required",
        "row 4, 'grade': '7' is not a grade",
        "row 4, 'class': '0' is not a class number",
        "row 4, 'birth date': '3/4/2015' is not a date that can be read without guessing",
        "row 4, 'sex': '중' is not a sex",
        "row 4, 'domains': '수학' is not a difficulty domain or sub-item",
        "row 4, 'background': '부자' is not a background item",
        "row 5, 'student': longer than 100 characters",
        "row 5, 'birth date': 2030-01-01 is after today",
        "row 5, 'applied on': '2026/13/01' is not a date",
        "row 6: has 3 cells but the header has 13",
        "row 7: has 14 cells but the header has 13",
    ];
    for line in expected {
        assert!(
            run.stdout.contains(line),
            "missing {line:?} in:\n{}",
            run.stdout
        );
    }
    assert!(
        !run.stdout.contains("row 2"),
        "the good row is not blamed: {}",
        run.stdout
    );
    assert!(
        run.stderr
            .contains("import refused: 13 problem(s), listed above; nothing was imported"),
        "{}",
        run.stderr
    );
    assert_eq!(journal(&store), before, "nothing was written");
    assert!(cases(&store).is_empty());
}

#[test]
fn header_problems_are_listed() {
    let store = TempStore::initialised();
    let file = write(
        &store,
        "h.csv",
        "이름,학년,신발 크기,학년\n김하늘,3,250,3\n".as_bytes(),
    );
    let out = store.run(&["import", &file]).stdout;
    assert!(
        out.contains("row 1: column 3 '신발 크기' is not an application-form column"),
        "{out}"
    );
    assert!(
        out.contains("row 1: column 4: the 'grade' column appears twice"),
        "{out}"
    );
    assert!(
        out.contains("row 1: the required column 'school' is missing"),
        "{out}"
    );
    assert!(cases(&store).is_empty());
}

#[test]
fn a_truncated_file_is_refused() {
    let store = TempStore::initialised();
    let whole = format!("{KO_HEADER}\n{ROWS}");
    // Cut in the middle of the last row, inside a quoted cell.
    let cut = whole.find("\"care").unwrap() + 3;
    let file = write(&store, "cut.csv", &whole.as_bytes()[..cut]);
    let run = store.run(&["import", &file]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout
            .contains("row 4: has 8 cells but the header has 13"),
        "{}",
        run.stdout
    );
    assert!(cases(&store).is_empty());
    // Cut inside a Hangul character: neither UTF-8 nor a whole CSV.
    let mid = whole.find("이솔").unwrap() + 1;
    let file = write(&store, "cut2.csv", &whole.as_bytes()[..mid]);
    let err = store.fails(&["import", &file]);
    assert!(err.contains("casedesk: "), "{err}");
    assert!(cases(&store).is_empty());
}

#[test]
fn odd_files_get_a_clear_message() {
    let store = TempStore::initialised();
    let cases_of = |s: &TempStore| cases(s).len();
    let empty = write(&store, "empty.csv", b"");
    assert!(
        store
            .fails(&["import", &empty])
            .contains("the file is empty")
    );
    let binary = write(
        &store,
        "x.xlsx",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
    );
    assert!(
        store
            .fails(&["import", &binary])
            .contains("not a CSV text file (binary data)")
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            "학생 이름,학교,학년\n"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        )
        .collect();
    let utf16 = write(&store, "u16.csv", &utf16);
    assert!(store.fails(&["import", &utf16]).contains("UTF-16"));
    let missing = store.tmp.path().join("nope.csv");
    let err = store.fails(&["import", missing.to_str().unwrap()]);
    assert!(
        err.contains("could not open") && err.contains("nope.csv"),
        "{err}"
    );
    // A 100 MB file is refused before it is read (sparse: quick to make).
    let big = store.tmp.path().join("big.csv");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(100 * 1024 * 1024)
        .unwrap();
    let err = store.fails(&["import", big.to_str().unwrap()]);
    assert!(
        err.contains("too large (100 MB, the limit is 32 MB)"),
        "{err}"
    );
    assert_eq!(cases_of(&store), 0);
}

#[test]
fn a_student_with_an_open_case_is_a_likely_duplicate() {
    let store = TempStore::initialised();
    add_student(&store, "김하늘", "2016-03-04", &[]);
    // Same name, birth date and school (spacing differs); another student; the first again.
    let text = format!(
        "{KO_HEADER}\n\
         김하늘,한빛 초등학교,3,2,2016.03.04,,,,,,,,\n\
         박바다,별빛중학교,2,,2013-07-09,,,,,,,,\n\
         박바다,별빛중학교,2,,2013-07-09,,,,,,,,\n\
         김하늘,한빛초등학교,3,2,2016-03-05,,,,,,,,\n"
    );
    let file = write(&store, "dup.csv", text.as_bytes());
    let out = store.ok(&["import", &file]);
    assert!(
        out.contains("row 2: 김*늘 — likely the same student as open case 2026-0001"),
        "{out}"
    );
    assert!(
        out.contains("row 4: 박*다 — likely the same student as row 3"),
        "{out}"
    );
    assert!(out.contains("imported 2 cases"), "{out}");
    assert_eq!(cases(&store).len(), 3);

    // A closed case is no longer a duplicate; --allow-duplicates imports matches too.
    let store = TempStore::initialised();
    add_student(&store, "김하늘", "2016-03-04", &[]);
    let file = write(&store, "dup.csv", text.as_bytes());
    let out = store.ok(&["import", &file, "--allow-duplicates", "--dry-run"]);
    assert!(out.contains("dry run: 4 cases would be imported"), "{out}");
    assert!(out.contains("imported anyway"), "{out}");
    store.ok(&["case", "close", "2026-0001", "--reason", "전학"]);
    let out = store.ok(&["import", &file]);
    assert!(!out.contains("open case"), "{out}");
    assert!(out.contains("imported 3 cases"), "{out}");
}

#[test]
fn the_lead_team_can_be_chosen_and_must_be_internal() {
    let store = TempStore::initialised();
    let file = write(&store, "a.csv", format!("{KO_HEADER}\n{ROWS}").as_bytes());
    let err = store.fails(&["import", &file, "--lead", "CPA"]);
    assert!(err.contains("CPA"), "{err}");
    assert!(cases(&store).is_empty());
    store.ok(&["import", &file, "--lead", "Wee센터"]);
    assert!(cases(&store).iter().all(|c| c["lead_team"] == "WEE"));
}

#[test]
fn a_dry_run_writes_nothing() {
    let store = TempStore::initialised();
    let before = journal(&store);
    let file = write(&store, "a.csv", format!("{EN_HEADER}\n{ROWS}").as_bytes());
    let out = store.ok(&["import", &file, "--dry-run"]);
    assert!(out.contains("dry run: 3 cases would be imported"), "{out}");
    assert_eq!(journal(&store), before);
}

#[test]
fn an_import_is_one_batch_in_the_journal() {
    let store = TempStore::initialised();
    let file = write(&store, "a.csv", format!("{KO_HEADER}\n{ROWS}").as_bytes());
    store.ok(&["import", &file]);
    let text = String::from_utf8(journal(&store)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    for line in &lines[1..] {
        assert!(line.contains("\"batch\":{\"first\":2"), "{line}");
    }
    assert!(lines[3].contains("\"last\":true"));
}

fn bytes_strategy() -> impl Strategy<Value = Vec<u8>> {
    let valid = format!("{KO_HEADER}\n{ROWS}").into_bytes();
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..400),
        // A valid file with bytes changed, cut or inserted.
        (
            proptest::collection::vec((0..valid.len(), any::<u8>()), 0..6),
            0..=valid.len()
        )
            .prop_map(move |(edits, cut)| {
                let mut b = valid.clone();
                for (at, byte) in edits {
                    b[at] = byte;
                }
                b.truncate(cut);
                b
            }),
        // Text from the form's own alphabet.
        proptest::collection::vec(
            prop_oneof![
                Just(",".to_string()),
                Just("\n".to_string()),
                Just("\"".to_string()),
                Just("학생 이름,학교,학년\n".to_string()),
                "[가-힣0-9a-z .\\-/]{0,8}",
            ],
            0..40
        )
        .prop_map(|parts| parts.concat().into_bytes()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_or_half_write(bytes in bytes_strategy()) {
        thread_local! {
            static STORE: std::cell::RefCell<Option<(tempfile::TempDir, casedesk::backend::Embedded)>> =
                const { std::cell::RefCell::new(None) };
        }
        STORE.with(|cell| {
            let mut cell = cell.borrow_mut();
            let (_, store) = cell.get_or_insert_with(|| {
                let tmp = tempfile::tempdir().unwrap();
                let mut store = Store::open_or_create(&tmp.path().join("s")).unwrap();
                store
                    .execute(
                        casedesk::domain::Command::InitStore {
                            office: "테스트".into(),
                            teams: casedesk::domain::model::default_teams(),
                            demo: false,
                        },
                        &ctx(),
                    )
                    .unwrap();
                let backend = casedesk::backend::Embedded::new(store, "tester", Some("tester")).unwrap();
                (tmp, backend)
            });
            use casedesk::backend::Backend;
            let seq = store.store().seq();
            let count = store.snapshot().unwrap().cases.len();
            let options = ImportOptions { allow_duplicates: true, ..ImportOptions::default() };
            let ctx: Ctx = ctx();
            match import_bytes(store, &bytes, &options, &ctx) {
                Ok(report) => {
                    prop_assert_eq!(store.store().seq(), seq + report.imported.len() as u64);
                    prop_assert_eq!(store.snapshot().unwrap().cases.len(), count + report.imported.len());
                    prop_assert_eq!(report.imported.len(), report.accepted);
                }
                Err(_) => {
                    prop_assert_eq!(store.store().seq(), seq);
                    prop_assert_eq!(store.snapshot().unwrap().cases.len(), count);
                }
            }
            Ok(())
        })?;
    }
}
