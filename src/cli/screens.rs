//! The screens from the command line: the keymap in force, the clock and colours they run
//! with, following a conference, and the overview printed instead in a pipe.

use super::env::Env;
use super::error::CliError;
use super::output;
use crate::backend::Backend;
use crate::domain::model::Team;
use crate::domain::{Action, State};
use crate::i18n::Lang;
use chrono::NaiveDate;
use std::io::{IsTerminal, Write};

/// True when casedesk talks to a person at a terminal (not a pipe or a script).
pub(super) fn on_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}

/// The keymap in force: the shipped default, or `$XDG_CONFIG_HOME/casedesk/keymap.toml` over it.
pub(super) fn keymap(lang: Lang) -> Result<crate::keymap::Keymap, CliError> {
    let user =
        directories::BaseDirs::new().map(|d| d.config_dir().join("casedesk").join("keymap.toml"));
    if let Some(path) = &user
        && std::fs::symlink_metadata(path).is_ok()
        && !path.exists()
    {
        // A link to nowhere is a keymap someone meant to use: say so rather than ignore it.
        let target = std::fs::read_link(path)
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        let line = match lang {
            Lang::Ko => format!(
                "casedesk: 키맵 파일 {}은(는) 없는 파일 {target}을(를) 가리키는 링크입니다: 기본 키를 씁니다",
                path.display()
            ),
            Lang::En => format!(
                "casedesk: the keymap file {} is a link to {target}, which does not exist: using the default keys",
                path.display()
            ),
        };
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            crate::domain::input::shorten_quotes(&crate::domain::input::shown(&line), lang)
        );
        return Ok(crate::keymap::Keymap::load(None)?);
    }
    Ok(crate::keymap::Keymap::load(
        user.as_deref().filter(|p| p.exists()),
    )?)
}

/// Opens the screens on `backend`.
pub(super) fn screens(backend: Box<dyn Backend>, env: &Env) -> Result<(), CliError> {
    let options = screen_options(env)?;
    crate::tui::run(backend, options).map_err(|e| match e {
        crate::tui::TuiError::Backend(e) => CliError::Backend(e),
        crate::tui::TuiError::Terminal(e) => CliError::Output(e.to_string()),
    })
}

/// Opens a read-only view that follows the running conference (or conference `id`).
pub(super) fn follow_screens(
    backend: Box<dyn Backend>,
    env: &Env,
    id: Option<u32>,
) -> Result<(), CliError> {
    let options = screen_options(env)?;
    crate::tui::follow(backend, options, id).map_err(|e| match e {
        crate::tui::TuiError::Backend(e) => CliError::Backend(e),
        crate::tui::TuiError::Terminal(e) => CliError::Output(e.to_string()),
    })
}

/// The keys, colours and clock the screens run with.
pub(super) fn screen_options(env: &Env) -> Result<crate::tui::Options, CliError> {
    let keymap = keymap(env.lang)?;
    let calendar = env.calendar()?;
    let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let fixed = std::env::var("CASEDESK_NOW")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|_| env.now);
    let clock: crate::tui::driver::Clock = match fixed {
        Some(now) => Box::new(move || now),
        None => Box::new(|| chrono::Utc::now().with_timezone(&crate::domain::dates::KOREA)),
    };
    Ok(crate::tui::Options {
        lang: env.lang,
        keymap,
        theme: crate::ui::Theme::new(color),
        clock,
        calendar,
        referrals: env.referral_rule()?,
    })
}

/// Counts, overdue actions by team, and the nearest due dates.
pub(super) fn overview(state: &State, today: NaiveDate, lang: Lang) -> String {
    let ko = lang == Lang::Ko;
    let office = state
        .office
        .as_ref()
        .map(|o| o.name.clone())
        .unwrap_or_default();
    let week_end = crate::domain::dates::week_end(today);
    let open_cases = state.cases.values().filter(|c| c.is_open()).count();
    let high = state
        .cases
        .values()
        .filter(|c| c.is_open() && c.level == crate::domain::vocab::Level::High)
        .count();
    let open: Vec<&Action> = state.actions.values().filter(|a| a.is_open()).collect();
    let overdue: Vec<&Action> = open
        .iter()
        .copied()
        .filter(|a| a.is_overdue(today))
        .collect();
    let this_week = open
        .iter()
        .filter(|a| a.due_on >= today && a.due_on <= week_end)
        .count();
    let mut text = format!("{office} — {}\n", output::day(today, lang));
    text.push_str(&if ko {
        format!("진행 사례 {open_cases}  고위기 {high}  기한초과 조치 {}  이번 주 기한 {this_week}\n", overdue.len())
    } else {
        format!("open cases {open_cases}  high crisis {high}  overdue actions {}  due this week {this_week}\n", overdue.len())
    });
    text.push_str(if ko {
        "\n부서별 기한초과\n"
    } else {
        "\noverdue by team\n"
    });
    let mut by_team: Vec<(&Team, usize)> = state
        .teams
        .values()
        .map(|t| (t, overdue.iter().filter(|a| a.team == t.code).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    by_team.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.code.cmp(&b.0.code)));
    if by_team.is_empty() {
        text.push_str(if ko { "  없음\n" } else { "  none\n" });
    }
    let rows: Vec<Vec<String>> = by_team
        .iter()
        .map(|(t, n)| vec![t.code.to_string(), t.name(lang).to_string(), n.to_string()])
        .collect();
    if !rows.is_empty() {
        let header = if ko {
            ["코드", "부서", "건수"]
        } else {
            ["code", "team", "count"]
        };
        for line in crate::cells::table(&header, &rows, 40).lines() {
            text.push_str(&format!("  {line}\n"));
        }
    }
    let mut upcoming: Vec<&Action> = open.iter().copied().filter(|a| a.due_on >= today).collect();
    upcoming.sort_by_key(|a| (a.due_on, a.id));
    upcoming.truncate(10);
    text.push_str(if ko {
        "\n가까운 기한 10건\n"
    } else {
        "\nnext 10 due dates\n"
    });
    let students = |n| state.cases.get(&n).map(|c| c.student.name.clone());
    for line in output::action_table(&upcoming, Some(&students), today, lang, None).lines() {
        text.push_str(&format!("  {line}\n"));
    }
    text
}
