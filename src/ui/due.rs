//! Due: open actions grouped overdue / today / this week / later, the month calendar with due
//! days marked, and the calendar day's actions. Pure drawing.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::rows::{Item, Items, draw_items, follow_item};
use super::{Theme, block, page_window, student_name};
use crate::app::App;
use crate::app::lists::DueGroup;
use crate::app::screens::{DuePane, month_start};
use crate::domain::State;
use crate::domain::dates::week_end;
use crate::i18n::Lang;

fn group_title(group: DueGroup, count: usize, lang: Lang) -> String {
    let name = match group {
        DueGroup::Overdue => lang.pick("기한초과", "Overdue"),
        DueGroup::Today => lang.pick("오늘", "Today"),
        // The count at the top ("this week") is today's and these together.
        DueGroup::ThisWeek => lang.pick("이번 주 남은 날", "Rest of this week"),
        DueGroup::Later => lang.pick("이후", "Later"),
    };
    format!("{name} ({count})")
}

/// Due: actions grouped overdue / today / this week / later, and the month calendar.
pub fn due(app: &App, state: &State, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.session.lang;
    let [left, right] =
        Layout::horizontal([Constraint::Min(40), Constraint::Length(32)]).areas(area);
    let outer = block(
        format!(
            " {} ",
            lang.pick("기한별 진행 조치", "Open actions by due date")
        ),
        app.screens.due.pane == DuePane::Groups,
        theme,
    );
    let inner = outer.inner(left);
    frame.render_widget(outer, left);
    let mut items = Vec::new();
    let mut selected_item = 0;
    let mut n = 0;
    for (group, ids) in &app.lists.view().due {
        let style = if *group == DueGroup::Overdue {
            theme.alert()
        } else {
            theme.title()
        };
        items.push(Item::Heading(Line::styled(
            format!("■ {}", group_title(*group, ids.len(), lang)),
            style,
        )));
        for id in ids {
            let selected =
                n == app.screens.due.pick.index && app.screens.due.pane == DuePane::Groups;
            if n == app.screens.due.pick.index {
                selected_item = items.len();
            }
            items.push(Item::Action(*id, selected));
            items.extend(follow_item(app, state, theme, *id));
            n += 1;
        }
    }
    if items.is_empty() {
        frame.render_widget(
            Paragraph::new(lang.pick("진행 중인 조치가 없습니다", "No open actions"))
                .style(theme.dim()),
            inner,
        );
    } else {
        draw_items(
            app,
            state,
            theme,
            frame,
            inner,
            &Items {
                items,
                selected: selected_item,
                show_team: true,
            },
        );
    }

    let [cal, day] = Layout::vertical([Constraint::Length(10), Constraint::Min(3)]).areas(right);
    calendar(app, theme, frame, cal);
    let day_block = block(
        format!(" {} ", crate::i18n::day(app.screens.due.day, lang)),
        app.screens.due.pane == DuePane::Day,
        theme,
    );
    let day_inner = day_block.inner(day);
    frame.render_widget(day_block, day);
    let ids = app.lists.actions_on(state, app.screens.due.day);
    if ids.is_empty() {
        frame.render_widget(
            Paragraph::new(lang.pick("이 날 기한인 조치 없음", "Nothing due this day"))
                .style(theme.dim()),
            day_inner,
        );
    } else {
        // Two lines an action: the narrow day list still shows whose and what.
        let height = usize::from(day_inner.height / 2).max(1);
        let window = page_window(app.screens.due.day_pick.index, ids.len(), height);
        let mut lines: Vec<Line> = Vec::new();
        for (i, id) in ids
            .get(window.clone())
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let Some(a) = state.actions.get(id) else {
                continue;
            };
            let selected = app.screens.due.pane == DuePane::Day
                && window.start + i == app.screens.due.day_pick.index;
            let student = state
                .cases
                .get(&id.case)
                .map(|c| student_name(app, c, false))
                .unwrap_or_default();
            let head = Line::from(vec![
                Span::styled(
                    if a.is_overdue(app.session.today) {
                        "! "
                    } else {
                        "  "
                    },
                    theme.alert(),
                ),
                Span::raw(format!("{id} {} {student}", a.team)),
            ]);
            let title = Line::from(format!("    {}", a.title));
            if selected {
                lines.push(head.style(theme.selected()));
                lines.push(title.style(theme.selected()));
            } else {
                lines.push(head);
                lines.push(title.style(theme.dim()));
            }
        }
        frame.render_widget(Paragraph::new(lines), day_inner);
    }
}

/// `s` right-aligned in `cells` display cells.
fn pad_left(s: &str, cells: usize) -> String {
    format!(
        "{}{s}",
        " ".repeat(cells.saturating_sub(crate::cells::width(s)))
    )
}

fn calendar(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.session.lang;
    let first = month_start(app.screens.due.day);
    let title = match lang {
        Lang::Ko => format!(" {}년 {}월 ", first.year(), first.month()),
        Lang::En => format!(" {} ", first.format("%B %Y")),
    };
    let outer = block(title, app.screens.due.pane == DuePane::Calendar, theme);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    // Two letters a day in English (Mo Tu …), so the week fits the calendar's width.
    let days = crate::i18n::WEEKDAYS.iter().map(|w| match lang {
        Lang::Ko => w.ko,
        Lang::En => w.en.get(..2).unwrap_or(w.en),
    });
    let mut lines = vec![Line::from(
        days.map(|d| Span::styled(format!("{} ", pad_left(d, 3)), theme.dim()))
            .collect::<Vec<_>>(),
    )];
    let lead = first.weekday().num_days_from_monday() as usize;
    let mut week: Vec<Span> = (0..lead).map(|_| Span::raw("    ")).collect();
    let marks = &app.lists.base().due_days;
    let week_end = week_end(app.session.today);
    let mut day = first;
    while day.month() == first.month() {
        let count = marks.get(&day).copied().unwrap_or(0);
        let marker = if count == 0 {
            " "
        } else if day < app.session.today {
            "!"
        } else {
            "•"
        };
        let text = format!("{:>3}{marker}", day.day());
        let mut style = if count > 0 && day < app.session.today {
            theme.alert()
        } else if count > 0 && day <= week_end {
            theme.warn()
        } else if count > 0 {
            theme.title()
        } else {
            theme.dim()
        };
        if day == app.session.today {
            style = style.add_modifier(ratatui::style::Modifier::UNDERLINED);
        }
        if day == app.screens.due.day {
            style = theme.selected();
        }
        week.push(Span::styled(text, style));
        if day.weekday().num_days_from_monday() == 6 {
            lines.push(Line::from(std::mem::take(&mut week)));
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    if !week.is_empty() {
        lines.push(Line::from(week));
    }
    while lines.len() < 7 {
        lines.push(Line::raw(""));
    }
    lines.push(Line::from(vec![
        Span::styled(" ! ", theme.alert()),
        Span::styled(lang.pick("지난 기한 ", "overdue "), theme.dim()),
        Span::styled("• ", theme.title()),
        Span::styled(lang.pick("기한 ", "due "), theme.dim()),
        Span::styled("_", theme.dim()),
        Span::styled(lang.pick(" 오늘", " today"), theme.dim()),
    ]));
    frame.render_widget(Paragraph::new(lines).style(Style::default()), inner);
}
