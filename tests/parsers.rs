//! Property tests for what people type besides dates: case numbers, action ids, team codes,
//! grades and the vocabularies never panic, and what casedesk prints reads back the same.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use casedesk::cells::{pad, truncate, width};
use casedesk::domain::input::{clean, shown};
use casedesk::domain::masking::mask_name;
use casedesk::domain::state::{parse_domains, parse_grade, parse_level, parse_sex, parse_stage};
use casedesk::domain::vocab::{Level, Stage};
use casedesk::domain::{ActionId, CaseNumber, TeamCode};
use proptest::prelude::*;

proptest! {
    #[test]
    fn typed_words_never_panic(input in ".{0,40}") {
        let _ = input.parse::<CaseNumber>();
        let _ = input.parse::<ActionId>();
        let _ = TeamCode::new(&input);
        let _ = parse_grade(&input);
        let _ = parse_level(&input);
        let _ = parse_stage(&input);
        let _ = parse_sex(&input);
        let _ = parse_domains(&input);
    }

    #[test]
    fn ids_read_back_what_they_print(year in 1900u16..3000, seq in 1u32..2_000_000, n in 1u32..100_000) {
        let case = CaseNumber { year, seq };
        prop_assert_eq!(case.to_string().parse::<CaseNumber>(), Ok(case));
        let action = ActionId { case, n };
        prop_assert_eq!(action.to_string().parse::<ActionId>(), Ok(action));
    }

    #[test]
    fn grades_read_back_what_they_print(year in 1u8..=6, class in proptest::option::of(1u16..30)) {
        let grade = casedesk::domain::model::Grade { year, class };
        prop_assert_eq!(parse_grade(&grade.to_string()), Ok(grade));
    }

    #[test]
    fn cleaned_text_has_no_control_characters(input in "\\PC{0,20}[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]{0,5}\\PC{0,20}") {
        let one_line = clean(&input, false);
        prop_assert!(!one_line.chars().any(char::is_control));
        let many = clean(&input, true);
        prop_assert!(!many.chars().any(|c| c.is_control() && c != '\n'));
        prop_assert!(!shown(&input).chars().any(char::is_control));
    }

    #[test]
    fn masking_hides_the_middle_and_keeps_the_shape(name in "[가-힣]{2,5}") {
        let masked = mask_name(&name);
        prop_assert_eq!(masked.chars().count(), name.chars().count());
        prop_assert_eq!(masked.chars().next(), name.chars().next());
        prop_assert!(masked.contains('*'));
        prop_assert_ne!(masked, name);
    }

    #[test]
    fn truncation_and_padding_respect_display_width(text in "[가-힣a-z ]{0,30}", cells in 0usize..40) {
        prop_assert!(width(&truncate(&text, cells)) <= cells);
        prop_assert_eq!(width(&pad(&text, cells)), cells);
    }
}

#[test]
fn every_level_and_stage_name_reads_back() {
    for level in Level::ALL {
        for name in [level.code(), level.ko(), level.en()] {
            assert_eq!(parse_level(name), Ok(*level));
        }
    }
    for stage in Stage::ALL {
        for name in [stage.code(), stage.ko(), stage.en()] {
            assert_eq!(parse_stage(name), Ok(*stage));
        }
    }
}
