//! Rows of actions as the list screens show them: marker, due date, days late, id, owner,
//! title and the masked student, in columns laid out by display width; headings between
//! groups. Pure drawing.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, page_window, short_day, student_name};
use crate::app::App;
use crate::cells::pad;
use crate::domain::{ActionId, State};
use crate::i18n::Lang;

/// `3일 지남` / `3d late`, `오늘` / `today`, or empty.
pub fn lateness(due: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let days = (today - due).num_days();
    match days {
        d if d > 0 => match lang {
            Lang::Ko => format!("{d}일 지남"),
            Lang::En => format!("{d}d late"),
        },
        0 => lang.pick("오늘", "today").to_string(),
        _ => String::new(),
    }
}

/// How wide a list's lines are, and its id column.
#[derive(Debug, Clone, Copy)]
pub(super) struct Widths {
    /// The whole line.
    pub(super) line: usize,
    /// The id column (the widest id shown and a space).
    pub(super) id: usize,
}

/// A line of a list of actions, in columns laid out by display width: marker, due, lateness,
/// id, owner (optional), title, masked student.
pub(super) fn action_row(
    app: &App,
    state: &State,
    id: ActionId,
    selected: bool,
    theme: Theme,
    show_team: bool,
    widths: Widths,
) -> Option<Line<'static>> {
    let Widths {
        line: width,
        id: id_width,
    } = widths;
    let a = state.actions.get(&id)?;
    let lang = app.session.lang;
    let late = a.is_overdue(app.session.today);
    let student = state
        .cases
        .get(&id.case)
        .map(|c| student_name(app, c, false))
        .unwrap_or_default();
    let due_style = if late {
        theme.alert()
    } else if a.due_on == app.session.today {
        theme.warn()
    } else {
        theme.text()
    };
    // Narrow lists keep the title readable: the days-late column and the student go first.
    let roomy = width >= 72;
    let mut spans = vec![
        Span::styled(if late { "! " } else { "  " }, theme.alert()),
        Span::styled(pad(&short_day(a.due_on, lang), 10), due_style),
    ];
    let mut used = 2 + 10;
    if roomy {
        spans.push(Span::styled(
            pad(&lateness(a.due_on, app.session.today, lang), 10),
            theme.alert(),
        ));
        used += 10;
    }
    // As wide as the longest id shown (and a space): an id is never cut.
    spans.push(Span::raw(pad(&id.to_string(), id_width)));
    used += id_width;
    if show_team {
        spans.push(Span::raw(pad(a.team.as_str(), 7)));
        used += 7;
    }
    let student_width = if roomy { 8 } else { 0 };
    let title_width = width.saturating_sub(used + student_width).max(4);
    spans.push(Span::raw(pad(&a.title, title_width)));
    if roomy {
        spans.push(Span::raw(format!(" {student}")));
    }
    let line = Line::from(spans);
    Some(if selected {
        line.style(theme.selected())
    } else {
        line
    })
}

/// Cells for an action-id column: the widest id shown and a space, at least 13 (`2026-0003/12`).
pub(super) fn id_column(ids: impl Iterator<Item = String>) -> usize {
    ids.map(|id| crate::cells::width(&id) + 1)
        .max()
        .unwrap_or(0)
        .max(13)
}

/// The line under an action in a list (its latest progress, or its result), when it has one.
pub(super) fn follow_item(app: &App, state: &State, theme: Theme, id: ActionId) -> Vec<Item> {
    let Some(a) = state.actions.get(&id) else {
        return Vec::new();
    };
    let lang = app.session.lang;
    let mut out = Vec::new();
    // A referral the agency has not answered in the office's days is marked in words.
    if state.unanswered(
        a,
        app.session.today,
        &app.session.referrals,
        &app.session.calendar,
    ) {
        let by = app.session.referrals.answer_by(a, &app.session.calendar);
        out.push(Item::Heading(Line::from(Span::styled(
            format!(
                "{}? {} · {} {}",
                " ".repeat(10),
                lang.pick("의뢰 응답 없음", "referral unanswered"),
                lang.pick("답 기한", "answer by"),
                short_day(by, lang)
            ),
            theme.alert(),
        ))));
    }
    if let Some(line) = a.follow_line(lang, |t| {
        state.case_text(Some(id.case), t, app.session.presentation)
    }) {
        out.push(Item::Heading(Line::from(Span::styled(
            format!("{}↳ {line}", " ".repeat(12)),
            theme.dim(),
        ))));
    }
    out
}

/// A finished action in a list: `✓ 11-22 일  2026-0003/2  title`, and under it what came of
/// it and who recorded it.
pub(super) fn finished_items(
    app: &App,
    state: &State,
    theme: Theme,
    a: &crate::domain::Action,
) -> [Item; 2] {
    let lang = app.session.lang;
    let shown = |t: &str| state.case_text(Some(a.id.case), t, app.session.presentation);
    let mark = if a.status == crate::domain::vocab::ActionStatus::Dropped {
        "✗"
    } else {
        "✓"
    };
    let head = format!(
        "{mark} {}{}{}",
        pad(
            &a.closed_on.map(|d| short_day(d, lang)).unwrap_or_default(),
            10
        ),
        pad(&a.id.to_string(), 13),
        shown(&a.title)
    );
    let under = a
        .follow_line(lang, shown)
        .unwrap_or_else(|| a.status.label(lang).to_string());
    let by = a
        .closed_by
        .as_deref()
        .map(|by| format!(" · {by}"))
        .unwrap_or_default();
    [
        Item::Heading(Line::from(Span::styled(head, theme.dim()))),
        Item::Heading(Line::from(Span::styled(
            format!("{}↳ {under}{by}", " ".repeat(12)),
            theme.dim(),
        ))),
    ]
}

pub(super) enum Item {
    Heading(Line<'static>),
    Action(ActionId, bool),
}

/// A list of headings and actions, and which of them is selected.
pub(super) struct Items {
    pub(super) items: Vec<Item>,
    pub(super) selected: usize,
    pub(super) show_team: bool,
}

pub(super) fn draw_items(
    app: &App,
    state: &State,
    theme: Theme,
    frame: &mut Frame,
    area: Rect,
    list: &Items,
) {
    let window = page_window(list.selected, list.items.len(), usize::from(area.height));
    let width = usize::from(area.width);
    let shown = list.items.get(window).unwrap_or_default();
    let id_width = id_column(shown.iter().filter_map(|item| match item {
        Item::Action(id, _) => Some(id.to_string()),
        Item::Heading(_) => None,
    }));
    let lines: Vec<Line> = shown
        .iter()
        .filter_map(|item| match item {
            Item::Heading(line) => Some(line.clone()),
            Item::Action(id, selected) => action_row(
                app,
                state,
                *id,
                *selected,
                theme,
                list.show_team,
                Widths {
                    line: width,
                    id: id_width,
                },
            ),
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}
