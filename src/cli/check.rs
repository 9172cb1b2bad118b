//! `check`: the journal's hash chain, the database against it, anchors, and rebuilding the
//! database from the journal.

use super::env::Env;
use super::error::CliError;
use super::out::{Out, put};
use crate::backend::Backend;
use crate::i18n::{Lang, Localize};
use crate::store::{Store, check};

/// Checks the store (or rebuilds its database first), against `anchor` when given, and says
/// what it found; a store with problems is a failure.
pub(super) fn check_store(
    env: &Env,
    rebuild: bool,
    discard_newer: bool,
    anchor: Option<&str>,
    out: Out,
) -> Result<(), CliError> {
    let ko = env.lang == Lang::Ko;
    let anchor = anchor
        .map(|text| {
            text.parse::<check::Anchor>()
                .map_err(|()| CliError::BadAnchor {
                    text: text.to_string(),
                })
        })
        .transpose()?;
    let mut text = String::new();
    let described = match super::connect::running(env)? {
        // The server has the store open: it checks it (a rebuild needs the store to itself).
        Some(mut backend) => {
            if rebuild {
                return Err(CliError::ServerRunning {
                    dir: env.dir.clone(),
                    what: "check --rebuild",
                });
            }
            backend.check(anchor.as_ref().map(ToString::to_string).as_deref())?
        }
        None => {
            if rebuild {
                let (store, built) = Store::rebuild(&env.dir, discard_newer)?;
                drop(store);
                if let Some(q) = &built.quarantined {
                    text.push_str(&format!("{}\n", q.localize(env.lang)));
                }
                text.push_str(&match (&built.aside, ko) {
                (Some(aside), true) => format!(
                    "저널 {}건으로 저장소를 다시 만들었습니다. 이전 파일은 {}에 남겨 두었습니다\n",
                    built.entries,
                    aside.display()
                ),
                (Some(aside), false) => format!(
                    "rebuilt the store from {} journal entries; the old files are kept at {}\n",
                    built.entries,
                    aside.display()
                ),
                (None, true) => format!("저널 {}건으로 저장소를 다시 만들었습니다\n", built.entries),
                (None, false) => format!("rebuilt the store from {} journal entries\n", built.entries),
            });
                if !built.newer.is_empty()
                    && let Some(aside) = &built.aside
                {
                    let names: Vec<String> = built
                        .newer
                        .iter()
                        .map(|n| format!("{} {}", n.tree, n.key))
                        .collect();
                    let file = crate::store::build::newer_file(aside);
                    text.push_str(&if ko {
                    format!(
                        "저널에 없던 기록 {}건을 버렸습니다 ({}): 그 내용은 {}에 남겨 두었습니다\n",
                        names.len(),
                        names.join(", "),
                        file.display()
                    )
                } else {
                    format!(
                        "dropped {} record(s) the journal lacked ({}); they are kept in {}\n",
                        names.len(),
                        names.join(", "),
                        file.display()
                    )
                });
                }
            }
            let report = check::check_anchored(&env.dir, anchor.as_ref())?;
            crate::backend::CheckSummary::of(&report, anchor.as_ref())
        }
    };
    text.push_str(described.text(env.lang));
    put(out, &text)?;
    if described.ok {
        Ok(())
    } else {
        Err(CliError::CheckFailed {
            problems: described.problems,
        })
    }
}
