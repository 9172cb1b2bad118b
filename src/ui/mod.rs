//! Drawing: `render` turns the app state and the records into a frame. Pure: it never changes
//! state, reads the clock or touches the store.

mod by_team;
mod case;
mod case_timeline;
mod conference;
mod dashboard;
mod due;
mod help;
pub mod messages;
mod overlays;
mod rows;
mod stats;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{App, Screen};
use crate::domain::masking::mask_name;
use crate::domain::{Case, State};
use crate::i18n::Lang;
use crate::keymap::Action as Do;
pub use theme::Theme;

/// The smallest terminal the screens are drawn in; below it a one-line message says so.
pub const MIN_WIDTH: u16 = 60;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 16;

/// Draws the whole screen.
pub fn render(app: &App, state: &State, theme: Theme, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = match app.session.lang {
            Lang::Ko => format!("창이 너무 작습니다: {MIN_WIDTH}×{MIN_HEIGHT} 이상으로 키우세요"),
            Lang::En => format!("Terminal too small: make it at least {MIN_WIDTH}×{MIN_HEIGHT}"),
        };
        frame.render_widget(
            Paragraph::new(text),
            Rect {
                height: area.height.min(1),
                ..area
            },
        );
        return;
    }
    // A running conference has the whole terminal: it is what the meeting room sees.
    if app.screen == Screen::Conference
        && let Some(conf) = app
            .shown_conference(state)
            .filter(|c| c.state == crate::domain::model::ConferenceState::Running)
    {
        let [body, status] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
        conference::run(app, state, conf, theme, frame, body);
        overlays::status_line(app, state, theme, frame, status);
        overlays_on_top(app, state, theme, frame, area);
        return;
    }
    let [header, counts, tabs, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(app, state, theme, frame, header);
    draw_counts(app, theme, frame, counts);
    draw_tabs(app, theme, frame, tabs);
    // Each screen's drawing: the screens' one registration on this side.
    match app.screen {
        Screen::Dashboard => dashboard::dashboard(app, state, theme, frame, body),
        Screen::ByTeam => by_team::by_team(app, state, theme, frame, body),
        Screen::Due => due::due(app, state, theme, frame, body),
        Screen::Case => case::case(app, state, theme, frame, body),
        Screen::Help => help::help(app, theme, frame, body),
        Screen::Conferences => conference::conferences(app, state, theme, frame, body),
        Screen::Conference => conference::conference(app, state, theme, frame, body),
        Screen::Stats => stats::stats(app, theme, frame, body),
    }
    overlays::status_line(app, state, theme, frame, status);
    overlays_on_top(app, state, theme, frame, area);
}

fn overlays_on_top(app: &App, state: &State, theme: Theme, frame: &mut Frame, area: Rect) {
    if let Some(form) = &app.form {
        overlays::form(app, state, form, theme, frame, area);
    }
    if app.palette.is_some() {
        overlays::palette(app, theme, frame, area);
    }
    if let Some(confirm) = &app.confirm {
        overlays::confirm(app, confirm, theme, frame, area);
    }
}

/// The student's name as this screen may show it: masked in lists and in presentation mode.
pub fn student_name(app: &App, case: &Case, full_allowed: bool) -> String {
    if full_allowed && !app.session.presentation {
        case.student.name.clone()
    } else {
        mask_name(&case.student.name)
    }
}

fn draw_header(app: &App, state: &State, theme: Theme, frame: &mut Frame, area: Rect) {
    let office = state
        .office
        .as_ref()
        .map(|o| o.name.as_str())
        .unwrap_or("casedesk");
    let mut spans = vec![
        Span::styled(format!(" {office} "), theme.title()),
        Span::raw("· "),
        Span::raw(crate::i18n::day(app.session.today, app.session.lang)),
        Span::raw(" · "),
        Span::raw(app.session.user.clone()),
    ];
    if app.session.others > 0 {
        spans.push(Span::raw(match app.session.lang {
            Lang::Ko => format!(" · 다른 사용자 {}명 접속", app.session.others),
            Lang::En => format!(" · {} others on", app.session.others),
        }));
    }
    if app.session.offline {
        spans.push(Span::raw("  "));
        spans.push(Span::styled(
            app.session.lang.pick(
                " 서버 연결 끊김 · 다시 연결 중 ",
                " SERVER LOST · reconnecting ",
            ),
            theme.active(),
        ));
    }
    if app.session.presentation {
        spans.push(Span::raw("  "));
        spans.push(Span::styled(
            app.session
                .lang
                .pick(" 발표 모드 · 이름 가림 ", " PRESENTATION · names masked "),
            theme.active(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_counts(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let c = app.lists.base().counts;
    let ko = app.session.lang == Lang::Ko;
    let mut spans = vec![
        Span::raw(if ko {
            format!(" 진행 사례 {}", c.open_cases)
        } else {
            format!(" open cases {}", c.open_cases)
        }),
        Span::raw("  "),
        Span::styled(
            if ko {
                format!("고위기 {}", c.high_crisis)
            } else {
                format!("high crisis {}", c.high_crisis)
            },
            if c.high_crisis > 0 {
                theme.high()
            } else {
                theme.text()
            },
        ),
        Span::raw("  "),
        Span::styled(
            if ko {
                format!("기한초과 {}", c.overdue)
            } else {
                format!("overdue {}", c.overdue)
            },
            if c.overdue > 0 {
                theme.alert()
            } else {
                theme.text()
            },
        ),
        Span::raw("  "),
        Span::raw(if ko {
            format!("이번 주 기한 {}", c.due_this_week)
        } else {
            format!("due this week {}", c.due_this_week)
        }),
    ];
    if !app.lists.filter.is_empty() && app.filter_input.is_none() {
        spans.push(Span::raw("   "));
        spans.push(Span::styled(
            format!(
                "{} {}",
                app.session.lang.pick("필터:", "filter:"),
                app.lists.filter
            ),
            theme.warn(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn draw_tabs(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let mut spans = vec![Span::raw(" ")];
    for (screen, action) in Screen::TABS {
        // The key shown is the one the keymap in force binds.
        let key = first_key(app, action).unwrap_or_default();
        let label = format!(
            " {key} {} ",
            messages::screen_title(screen, app.session.lang)
        )
        .replace("  ", " ");
        if screen == app.screen {
            spans.push(Span::styled(format!("[{}]", label.trim()), theme.active()));
        } else {
            spans.push(Span::styled(label, theme.dim()));
        }
        spans.push(Span::raw(" "));
    }
    // A screen that is not a tab (a case, help, a conference) says where it is.
    if !Screen::TABS.iter().any(|(screen, _)| *screen == app.screen) {
        spans.push(Span::styled(
            format!("[{}]", messages::screen_title(app.screen, app.session.lang)),
            theme.active(),
        ));
    }
    let help = first_key(app, Do::Help)
        .map(|k| format!("{k} {}", app.session.lang.pick("도움말", "help")));
    let mut line = Line::from(spans);
    if let Some(help) = help {
        let used: usize = line.width();
        // By display width: 도움말 is six cells in nine bytes.
        let room = usize::from(area.width).saturating_sub(used + crate::cells::width(&help) + 1);
        line.push_span(Span::raw(" ".repeat(room)));
        line.push_span(Span::styled(help, theme.dim()));
    }
    frame.render_widget(Paragraph::new(line), area);
}

/// A bordered pane with a title; the focused one is drawn in the focus style.
pub fn block<'a>(title: String, focused: bool, theme: Theme) -> ratatui::widgets::Block<'a> {
    let block = ratatui::widgets::Block::default()
        .borders(ratatui::widgets::Borders::ALL)
        .title(title);
    if focused {
        block
            .border_style(theme.focus_border())
            .title_style(theme.focus_border())
    } else {
        block
    }
}

/// A day in a list: `12-04 금`.
pub fn short_day(date: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    format!(
        "{:02}-{:02} {}",
        date.month(),
        date.day(),
        crate::i18n::weekday(date.weekday(), lang)
    )
}

/// The first key bound to `action`, as text.
pub fn first_key(app: &App, action: Do) -> Option<String> {
    app.session
        .keymap
        .keys(action)
        .first()
        .map(ToString::to_string)
}

/// A style for a crisis level.
pub fn level_style(theme: Theme, level: crate::domain::vocab::Level) -> Style {
    match level {
        crate::domain::vocab::Level::High => theme.high(),
        crate::domain::vocab::Level::Crisis => theme.warn(),
        _ => theme.text(),
    }
}

/// Which rows of a list of `len` are visible in `height` rows so that `selected` shows: whole
/// pages, so moving within a page redraws only the rows that change.
pub fn page_window(selected: usize, len: usize, height: usize) -> std::ops::Range<usize> {
    if height == 0 || len == 0 {
        return 0..0;
    }
    // Whole pages, but the last page is full: the last rows never sit alone at the top.
    let start = ((selected.min(len - 1) / height) * height).min(len.saturating_sub(height));
    start..(start + height).min(len)
}
