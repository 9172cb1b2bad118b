//! The run screen's record of the case under discussion: what this conference recorded on it
//! (decisions wrapped whole, actions, changes) and what came back since the conference last
//! discussed it. Pure drawing.

use ratatui::text::Line;

use super::free;
use crate::app::App;
use crate::cells::truncate;
use crate::domain::model::AgendaItem;
use crate::domain::vocab::ActionStatus;
use crate::domain::{Case, Conference, State};
use crate::i18n::Lang;
use crate::ui::{Theme, short_day};

pub(super) fn record_lines(
    app: &App,
    state: &State,
    item: &AgendaItem,
    width: usize,
) -> Vec<Line<'static>> {
    let lang = app.session.lang;
    let mut entries: Vec<(String, String)> = Vec::new();
    for (i, d) in item.decisions.iter().enumerate() {
        entries.push((
            format!(" {} {}. ", lang.pick("결정", "Decision"), i + 1),
            free(app, state, Some(item.case), d),
        ));
    }
    for id in &item.actions {
        let text = match state.actions.get(id) {
            Some(a) => format!(
                "{} · {} · {}{}",
                free(app, state, Some(item.case), &a.title),
                a.team,
                short_day(a.due_on, lang),
                a.person
                    .as_deref()
                    .map(|p| format!(" · {p}"))
                    .unwrap_or_default()
            ),
            None => String::new(),
        };
        entries.push((format!(" {} {id} ", lang.pick("조치", "Action")), text));
    }
    for change in &item.changes {
        entries.push((format!(" {}", change.describe(lang)), String::new()));
    }
    if item.deferred {
        entries.push((
            lang.pick(" 다음 회의로 보류", " Deferred to the next conference")
                .to_string(),
            String::new(),
        ));
    }
    // Each entry wraps under its own text, so a long decision reads as one block.
    let mut lines = Vec::new();
    for (label, text) in entries {
        let indent = crate::cells::width(&label);
        let room = width.saturating_sub(indent).max(8);
        for (i, part) in crate::cells::wrap(&text, room).into_iter().enumerate() {
            let lead = if i == 0 {
                label.clone()
            } else {
                " ".repeat(indent)
            };
            lines.push(Line::raw(format!("{lead}{part}")));
        }
    }
    lines
}

/// Most results shown under "since the last conference" before a `… more` line.
const SINCE_SHOWN: usize = 3;

/// What came of the case's actions since the conference last discussed it: a heading and a
/// line per action finished or dropped since, with its result and who recorded it (nothing
/// while they are read, or when none finished).
pub(super) fn since_last_lines(
    app: &App,
    state: &State,
    conf: &Conference,
    case: &Case,
    theme: Theme,
    room: usize,
) -> Vec<Line<'static>> {
    let lang = app.session.lang;
    let Some((_, actions)) = app
        .screens
        .conference
        .followup
        .as_ref()
        .filter(|(c, _)| *c == case.number)
    else {
        return Vec::new();
    };
    let (since, done) = state.since_last_conference(conf, case.number, actions);
    if done.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![Line::styled(
        match (lang, since) {
            (Lang::Ko, Some(d)) => format!(
                "지난 회의({}) 이후 완료·취소 {}건",
                short_day(d, lang),
                done.len()
            ),
            (Lang::Ko, None) => format!("완료·취소된 조치 {}건", done.len()),
            (Lang::En, Some(d)) => format!(
                "Since the last conference ({}): {} finished",
                short_day(d, lang),
                done.len()
            ),
            (Lang::En, None) => format!("Finished actions: {}", done.len()),
        },
        theme.title(),
    )];
    for a in done.iter().rev().take(SINCE_SHOWN) {
        lines.push(Line::raw(truncate(
            &format!(
                "   {} {} {} {}",
                if a.status == ActionStatus::Dropped {
                    "✗"
                } else {
                    "✓"
                },
                a.closed_on.map(|d| short_day(d, lang)).unwrap_or_default(),
                a.team,
                free(app, state, Some(case.number), &a.title)
            ),
            room,
        )));
        // The result first (it is what the meeting needs), then who recorded it.
        let under = a
            .follow_line(lang, |t| free(app, state, Some(case.number), t))
            .unwrap_or_else(|| a.status.label(lang).to_string());
        let by = a
            .closed_by
            .as_deref()
            .map(|by| format!(" · {by}"))
            .unwrap_or_default();
        lines.push(Line::styled(
            truncate(&format!("     ↳ {under}{by}"), room),
            theme.dim(),
        ));
    }
    if done.len() > SINCE_SHOWN {
        lines.push(Line::styled(
            match lang {
                Lang::Ko => format!("   … 외 {}건", done.len() - SINCE_SHOWN),
                Lang::En => format!("   … and {} more", done.len() - SINCE_SHOWN),
            },
            theme.dim(),
        ));
    }
    lines
}
