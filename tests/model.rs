//! The store against a simple model: random sequences of commands (valid and not) give the same
//! accept/refuse decisions and the same records as a few lines of obvious bookkeeping, across
//! restarts, and `check` passes at the end.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use casedesk::domain::model::default_teams;
use casedesk::domain::vocab::{ActionStatus, Level, NoteKind, Stage};
use casedesk::domain::{ActionId, CaseNumber, CaseUpdate, Command, TeamCode};
use casedesk::store::Store;
use casedesk::store::check::check;
use chrono::Duration;
use proptest::prelude::*;

/// Teams the generator picks from: two internal, one external, one that does not exist.
const TEAMS: [&str; 4] = ["WEE", "CENTER", "CPA", "NOPE"];

#[derive(Debug, Clone)]
enum Op {
    CreateCase {
        lead: usize,
    },
    AddAction {
        case: usize,
        team: usize,
        due_in: i64,
    },
    Complete {
        case: usize,
        n: u32,
    },
    Drop {
        case: usize,
        n: u32,
        blank_reason: bool,
    },
    Close {
        case: usize,
        drop_open: bool,
    },
    Reopen {
        case: usize,
    },
    SetLevel {
        case: usize,
        level: usize,
    },
    Note {
        case: usize,
        blank: bool,
    },
    Merge {
        keep: usize,
        other: usize,
    },
    Restart,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..4usize).prop_map(|lead| Op::CreateCase { lead }),
        4 => (0..6usize, 0..4usize, -3..30i64).prop_map(|(case, team, due_in)| Op::AddAction { case, team, due_in }),
        2 => (0..6usize, 1..5u32).prop_map(|(case, n)| Op::Complete { case, n }),
        1 => (0..6usize, 1..5u32, any::<bool>()).prop_map(|(case, n, blank_reason)| Op::Drop { case, n, blank_reason }),
        1 => (0..6usize, any::<bool>()).prop_map(|(case, drop_open)| Op::Close { case, drop_open }),
        1 => (0..6usize).prop_map(|case| Op::Reopen { case }),
        1 => (0..6usize, 0..4usize).prop_map(|(case, level)| Op::SetLevel { case, level }),
        1 => (0..6usize, any::<bool>()).prop_map(|(case, blank)| Op::Note { case, blank }),
        1 => (0..6usize, 0..6usize).prop_map(|(keep, other)| Op::Merge { keep, other }),
        1 => Just(Op::Restart),
    ]
}

#[derive(Debug, Clone, PartialEq)]
struct ModelCase {
    closed: bool,
    level: Level,
    actions: Vec<ActionStatus>,
    notes: usize,
    merged: bool,
}

fn number(i: usize) -> CaseNumber {
    CaseNumber {
        year: 2026,
        seq: i as u32 + 1,
    }
}

fn team(i: usize) -> TeamCode {
    TeamCode::new(TEAMS[i]).unwrap()
}

/// The model's verdict, and its bookkeeping when the command is accepted.
fn model_step(model: &mut Vec<ModelCase>, op: &Op) -> bool {
    // Nothing is recorded on a case merged into another.
    let target = match op {
        Op::AddAction { case, .. }
        | Op::Complete { case, .. }
        | Op::Drop { case, .. }
        | Op::Close { case, .. }
        | Op::Reopen { case }
        | Op::SetLevel { case, .. }
        | Op::Note { case, .. } => Some(*case),
        Op::Merge { keep, other } => {
            if model.get(*keep).is_some_and(|c| c.merged) {
                return false;
            }
            Some(*other)
        }
        Op::CreateCase { .. } | Op::Restart => None,
    };
    if target.is_some_and(|i| model.get(i).is_some_and(|c| c.merged)) {
        return false;
    }
    match op {
        Op::CreateCase { lead } => {
            if *lead > 1 {
                return false; // external or unknown lead
            }
            model.push(ModelCase {
                closed: false,
                level: Level::Crisis,
                actions: Vec::new(),
                notes: 0,
                merged: false,
            });
            true
        }
        Op::AddAction { case, team, due_in } => match model.get_mut(*case) {
            Some(c) if !c.closed && *team < 3 && *due_in >= 0 => {
                c.actions.push(ActionStatus::Open);
                true
            }
            _ => false,
        },
        Op::Complete { case, n }
        | Op::Drop {
            case,
            n,
            blank_reason: false,
        } => {
            let status = if matches!(op, Op::Complete { .. }) {
                ActionStatus::Done
            } else {
                ActionStatus::Dropped
            };
            match model
                .get_mut(*case)
                .and_then(|c| c.actions.get_mut(*n as usize - 1))
            {
                Some(a) if *a == ActionStatus::Open => {
                    *a = status;
                    true
                }
                _ => false,
            }
        }
        Op::Drop { .. } => false,
        Op::Close { case, drop_open } => match model.get_mut(*case) {
            Some(c) if !c.closed && (*drop_open || !c.actions.contains(&ActionStatus::Open)) => {
                c.closed = true;
                c.notes += 1;
                for a in &mut c.actions {
                    if *a == ActionStatus::Open {
                        *a = ActionStatus::Dropped;
                    }
                }
                true
            }
            _ => false,
        },
        Op::Reopen { case } => match model.get_mut(*case) {
            Some(c) if c.closed => {
                c.closed = false;
                c.notes += 1;
                true
            }
            _ => false,
        },
        Op::SetLevel { case, level } => match model.get_mut(*case) {
            Some(c) if !c.closed && Level::ALL[*level] != c.level => {
                c.level = Level::ALL[*level];
                true
            }
            _ => false,
        },
        Op::Note { case, blank } => match model.get_mut(*case) {
            Some(c) if !*blank => {
                c.notes += 1;
                true
            }
            _ => false,
        },
        Op::Merge { keep, other } => {
            let (Some(k), Some(o)) = (model.get(*keep).cloned(), model.get(*other).cloned()) else {
                return false;
            };
            if keep == other || (k.closed && o.actions.contains(&ActionStatus::Open)) {
                return false;
            }
            let kept = &mut model[*keep];
            kept.actions.extend(o.actions);
            kept.notes += 1;
            if !o.closed && o.level > kept.level {
                kept.level = o.level;
            }
            let merged = &mut model[*other];
            merged.actions.clear();
            merged.notes += 1;
            merged.merged = true;
            true
        }
        Op::Restart => true,
    }
}

fn command(op: &Op) -> Option<Command> {
    let today = common::now().date_naive();
    Some(match op {
        Op::CreateCase { lead } => Command::CreateCase {
            case: common::new_case("홍길동", TEAMS[*lead], &[]),
        },
        Op::AddAction {
            case,
            team: t,
            due_in,
        } => Command::AddAction {
            case: number(*case),
            title: "조치".into(),
            team: team(*t),
            due_on: today + Duration::days(*due_in),
            person: None,
            conference: None,
            sharing: Default::default(),
        },
        Op::Complete { case, n } => Command::CompleteAction {
            action: ActionId {
                case: number(*case),
                n: *n,
            },
            note: None,
        },
        Op::Drop {
            case,
            n,
            blank_reason,
        } => Command::DropAction {
            action: ActionId {
                case: number(*case),
                n: *n,
            },
            reason: if *blank_reason {
                " ".into()
            } else {
                "불필요".into()
            },
        },
        Op::Close { case, drop_open } => Command::CloseCase {
            case: number(*case),
            reason: "종결".into(),
            drop_open: *drop_open,
        },
        Op::Reopen { case } => Command::ReopenCase {
            case: number(*case),
            reason: "재발".into(),
        },
        Op::SetLevel { case, level } => Command::UpdateCase {
            case: number(*case),
            change: CaseUpdate {
                level: Some(Level::ALL[*level]),
                ..CaseUpdate::default()
            },
            conference: None,
        },
        Op::Note { case, blank } => Command::AddNote {
            case: number(*case),
            kind: NoteKind::Note,
            text: if *blank { "\t".into() } else { "통화".into() },
            restricted: false,
        },
        Op::Merge { keep, other } => Command::MergeCases {
            keep: number(*keep),
            other: number(*other),
        },
        Op::Restart => return None,
    })
}

fn compare(store: &mut Store, model: &[ModelCase]) {
    let state = store.state().unwrap().clone();
    assert_eq!(state.cases.len(), model.len());
    for (i, m) in model.iter().enumerate() {
        let case = &state.cases[&number(i)];
        assert_eq!(case.stage == Stage::Closed, m.closed, "case {i}");
        assert_eq!(case.level, m.level, "case {i}");
        assert_eq!(case.merged_into.is_some(), m.merged, "case {i}");
        let statuses: Vec<ActionStatus> = store
            .actions_of(case.number)
            .unwrap()
            .iter()
            .map(|a| a.status)
            .collect();
        assert_eq!(statuses, m.actions, "case {i}");
        assert_eq!(
            store.notes_of(case.number).unwrap().len(),
            m.notes,
            "case {i}"
        );
    }
    let open_by_index = store.open_actions_due(None).unwrap().len();
    let open_in_model = model
        .iter()
        .flat_map(|c| &c.actions)
        .filter(|a| **a == ActionStatus::Open)
        .count();
    assert_eq!(
        open_by_index, open_in_model,
        "the due index lists exactly the open actions"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn the_store_behaves_like_the_model(ops in proptest::collection::vec(op(), 1..40)) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("store");
        let mut store = Store::open_or_create(&dir).unwrap();
        store.execute(Command::InitStore { office: "모델".into(), teams: default_teams(), demo: false }, &common::ctx()).unwrap();
        let mut model: Vec<ModelCase> = Vec::new();
        for op in &ops {
            let expected = model_step(&mut model, op);
            match command(op) {
                None => {
                    drop(store);
                    store = Store::open(&dir).unwrap();
                    compare(&mut store, &model);
                }
                Some(cmd) => {
                    let result = store.execute(cmd, &common::ctx());
                    prop_assert_eq!(result.is_ok(), expected, "{:?} gave {:?}", op, result);
                }
            }
        }
        compare(&mut store, &model);
        drop(store);
        let report = check(&dir).unwrap();
        prop_assert!(report.ok(), "{:?}", report.problems);
    }
}
