//! The list screens: the dashboard's case table with the selected case beside it, the By-team
//! sections and the Due groups with the month calendar. Pure drawing.

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use crate::cells::pad;

use super::{Theme, block, level_style, page_window, short_day, student_name};
use crate::app::App;
use crate::app::lists::{DueGroup, Sort};
use crate::app::screens::{DuePane, month_start};
use crate::domain::dates::week_end;
use crate::domain::{Action, ActionId, State};
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

/// The dashboard: the case table and the selected case's summary beside or below it.
pub fn dashboard(app: &App, state: &State, theme: Theme, frame: &mut Frame, area: Rect) {
    let wide = area.width >= 110;
    let (table_area, detail_area) = if wide {
        let [t, d] = Layout::horizontal([Constraint::Min(60), Constraint::Length(44)]).areas(area);
        (t, d)
    } else {
        let detail = if area.height >= 20 { 8 } else { 6 };
        let [t, d] = Layout::vertical([Constraint::Min(4), Constraint::Length(detail)]).areas(area);
        (t, d)
    };
    let lang = app.session.lang;
    let ko = lang == Lang::Ko;
    let sort = match app.screens.dashboard.sort {
        Sort::NextDue => lang.pick("다음 기한순", "by next due"),
        Sort::Level => lang.pick("위기 수준순", "by level"),
        Sort::Number => lang.pick("번호순", "by number"),
    };
    let rows = &app.lists.view().cases;
    let title = if ko {
        format!(
            " 사례 {}/{} · {sort} ",
            rows.len(),
            app.lists.base().counts.open_cases
        )
    } else {
        format!(
            " Cases {}/{} · {sort} ",
            rows.len(),
            app.lists.base().counts.open_cases
        )
    };
    let outer = block(title, true, theme);
    let inner = outer.inner(table_area);
    frame.render_widget(outer, table_area);
    let height = usize::from(inner.height.saturating_sub(1));
    let window = page_window(app.screens.dashboard.pick.index, rows.len(), height);
    // Narrow terminals drop the stage column first, then the lead team, before cutting the
    // case number or the due date.
    let keep = |col: usize| match col {
        4 => inner.width >= 70,
        5 => inner.width >= 60,
        _ => true,
    };
    let header = if ko {
        [
            "번호",
            "학생",
            "학교·학년",
            "위기",
            "단계",
            "주관",
            "다음 기한",
            "초과",
        ]
    } else {
        [
            "number",
            "student",
            "school, grade",
            "level",
            "stage",
            "lead",
            "next due",
            "late",
        ]
    };
    let body: Vec<Row> = rows[window.clone()]
        .iter()
        .enumerate()
        .filter_map(|(i, row)| {
            let case = state.cases.get(&row.number)?;
            let selected = window.start + i == app.screens.dashboard.pick.index;
            let due = row
                .next_due
                .map(|d| short_day(d, lang))
                .unwrap_or_else(|| "-".into());
            let late = if row.overdue > 0 {
                format!("!{}", row.overdue)
            } else {
                String::new()
            };
            let cells = vec![
                Cell::from(row.number.to_string()),
                Cell::from(student_name(app, case, false)),
                Cell::from(format!("{} {}", case.school, case.grade)),
                Cell::from(Span::styled(
                    case.level.short(lang),
                    level_style(theme, case.level),
                )),
                Cell::from(case.stage.short(lang)),
                Cell::from(case.lead_team.to_string()),
                Cell::from(Span::styled(
                    due,
                    if row.overdue > 0 {
                        theme.alert()
                    } else {
                        theme.text()
                    },
                )),
                Cell::from(Span::styled(late, theme.alert())),
            ];
            let cells: Vec<Cell> = cells
                .into_iter()
                .enumerate()
                .filter(|(i, _)| keep(*i))
                .map(|(_, c)| c)
                .collect();
            let row = Row::new(cells);
            Some(if selected {
                row.style(theme.selected())
            } else {
                row
            })
        })
        .collect();
    let widths = if ko {
        [
            Constraint::Length(9),
            Constraint::Length(7),
            Constraint::Min(12),
            Constraint::Length(6),
            Constraint::Length(9),
            Constraint::Length(6),
            Constraint::Length(9),
            Constraint::Length(4),
        ]
    } else {
        [
            Constraint::Length(9),
            Constraint::Length(7),
            Constraint::Min(10),
            Constraint::Length(7),
            Constraint::Length(9),
            Constraint::Length(6),
            Constraint::Length(9),
            Constraint::Length(4),
        ]
    };
    if rows.is_empty() {
        let empty = if app.lists.filter.is_empty() {
            lang.pick(
                "진행 중인 사례가 없습니다. n: 새 사례",
                "No open cases. n: new case",
            )
        } else {
            lang.pick(
                "필터에 맞는 사례가 없습니다. Esc: 필터 지우기",
                "No case matches the filter. Esc: clear it",
            )
        };
        frame.render_widget(Paragraph::new(empty).style(theme.dim()), inner);
    } else {
        let widths: Vec<Constraint> = widths
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, w)| w)
            .collect();
        let header: Vec<&str> = header
            .into_iter()
            .enumerate()
            .filter(|(i, _)| keep(*i))
            .map(|(_, h)| h)
            .collect();
        let table = Table::new(body, widths)
            .header(Row::new(header).style(theme.title()))
            .column_spacing(1);
        frame.render_widget(table, inner);
    }
    case_summary(app, state, theme, frame, detail_area);
}

fn case_summary(app: &App, state: &State, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.session.lang;
    let Some(row) = app.lists.view().cases.get(app.screens.dashboard.pick.index) else {
        frame.render_widget(block(String::new(), false, theme), area);
        return;
    };
    let Some(case) = state.cases.get(&row.number) else {
        return;
    };
    let title = format!(" {} {} ", case.number, student_name(app, case, false));
    let outer = block(title, false, theme);
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    let team = |code: &crate::domain::TeamCode| {
        state
            .team(code)
            .map_or(code.to_string(), |t| format!("{} {}", t.code, t.name(lang)))
    };
    let domains: Vec<String> = case.domain_labels(lang);
    let mut lines = vec![
        Line::from(vec![
            Span::styled(case.level.label(lang), level_style(theme, case.level)),
            Span::raw(" · "),
            Span::raw(case.stage.label(lang)),
            Span::raw(match case.review_on {
                Some(d) => format!(" · {} {}", lang.pick("점검", "review"), short_day(d, lang)),
                None => String::new(),
            }),
        ]),
        Line::from(format!(
            "{} {}",
            lang.pick("영역", "Domains"),
            if domains.is_empty() {
                "-".into()
            } else {
                domains.join(", ")
            }
        )),
        Line::from(format!(
            "{} {} · {} {}",
            lang.pick("주관", "Lead"),
            team(&case.lead_team),
            lang.pick("협력", "co-op"),
            if case.co_teams.is_empty() {
                "-".to_string()
            } else {
                case.co_teams
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )),
    ];
    let open: Vec<&Action> = state
        .actions_of(case.number)
        .filter(|a| a.is_open())
        .collect();
    lines.push(Line::styled(
        format!(
            "{} ({})",
            lang.pick("진행 조치", "Open actions"),
            open.len()
        ),
        theme.title(),
    ));
    // As many as fit; the rest are counted, so none is silently missing.
    let room = usize::from(inner.height).saturating_sub(lines.len());
    let shown = if open.len() > room {
        room.saturating_sub(1)
    } else {
        open.len()
    };
    for a in open.iter().take(shown) {
        lines.push(action_line(a, app.session.today, lang, theme, false));
    }
    if shown < open.len() {
        let more = open.len() - shown;
        lines.push(Line::styled(
            match lang {
                Lang::Ko => format!("  … 외 {more}건 (Enter로 사례 열기)"),
                Lang::En => format!("  … and {more} more (Enter opens the case)"),
            },
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// One open action as a line: marker, due date, owner, title.
fn action_line<'a>(
    a: &Action,
    today: NaiveDate,
    lang: Lang,
    theme: Theme,
    with_case: bool,
) -> Line<'a> {
    let late = a.is_overdue(today);
    let mut spans = vec![
        Span::styled(if late { "! " } else { "  " }, theme.alert()),
        Span::styled(
            short_day(a.due_on, lang),
            if late {
                theme.alert()
            } else if a.due_on == today {
                theme.warn()
            } else {
                theme.text()
            },
        ),
        Span::raw(" "),
        Span::raw(format!("{:<7}", a.team.as_str())),
    ];
    if with_case {
        spans.push(Span::styled(format!("{} ", a.id), theme.dim()));
    }
    spans.push(Span::raw(a.title.clone()));
    Line::from(spans)
}

/// A line of a list of actions, in columns laid out by display width: marker, due, lateness,
/// id, owner (optional), title, masked student.
fn action_row(
    app: &App,
    state: &State,
    id: ActionId,
    selected: bool,
    theme: Theme,
    show_team: bool,
    width: usize,
) -> Option<Line<'static>> {
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
    spans.push(Span::raw(pad(&id.to_string(), 13)));
    used += 13;
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

enum Item {
    Heading(Line<'static>),
    Action(ActionId, bool),
}

/// A list of headings and actions, and which of them is selected.
struct Items {
    items: Vec<Item>,
    selected: usize,
    show_team: bool,
}

fn draw_items(app: &App, state: &State, theme: Theme, frame: &mut Frame, area: Rect, list: &Items) {
    let window = page_window(list.selected, list.items.len(), usize::from(area.height));
    let width = usize::from(area.width);
    let lines: Vec<Line> = list.items[window]
        .iter()
        .filter_map(|item| match item {
            Item::Heading(line) => Some(line.clone()),
            Item::Action(id, selected) => {
                action_row(app, state, *id, *selected, theme, list.show_team, width)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// By team: each team's open actions, the most overdue team first.
pub fn by_team(app: &App, state: &State, theme: Theme, frame: &mut Frame, area: Rect) {
    let lang = app.session.lang;
    let groups = &app.lists.view().teams;
    let outer = block(
        match lang {
            Lang::Ko => format!(" 부서별 진행 조치 · {}개 부서 ", groups.len()),
            Lang::En => format!(" Open actions by team · {} teams ", groups.len()),
        },
        true,
        theme,
    );
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    if groups.is_empty() {
        frame.render_widget(
            Paragraph::new(lang.pick("진행 중인 조치가 없습니다", "No open actions"))
                .style(theme.dim()),
            inner,
        );
        return;
    }
    let mut items = Vec::new();
    let mut selected_item = 0;
    let mut n = 0;
    for g in groups {
        let name = state.team(&g.team).map_or(g.team.to_string(), |t| {
            format!("{} {}", t.code, t.name(lang))
        });
        let count = match lang {
            Lang::Ko => format!(
                "  {}건{}",
                g.actions.len(),
                if g.overdue > 0 {
                    format!(", 기한초과 {}건", g.overdue)
                } else {
                    String::new()
                }
            ),
            Lang::En => format!(
                "  {} open{}",
                g.actions.len(),
                if g.overdue > 0 {
                    format!(", {} overdue", g.overdue)
                } else {
                    String::new()
                }
            ),
        };
        let mut heading = Line::from(vec![
            Span::styled(name, theme.title()),
            Span::styled(
                count,
                if g.overdue > 0 {
                    theme.alert()
                } else {
                    theme.dim()
                },
            ),
        ]);
        heading.spans.insert(0, Span::raw("■ "));
        items.push(Item::Heading(heading));
        for id in &g.actions {
            if n == app.screens.by_team.pick.index {
                selected_item = items.len();
            }
            items.push(Item::Action(*id, n == app.screens.by_team.pick.index));
            n += 1;
        }
    }
    draw_items(
        app,
        state,
        theme,
        frame,
        inner,
        &Items {
            items,
            selected: selected_item,
            show_team: false,
        },
    );
}

fn group_title(group: DueGroup, count: usize, lang: Lang) -> String {
    let name = match group {
        DueGroup::Overdue => lang.pick("기한초과", "Overdue"),
        DueGroup::Today => lang.pick("오늘", "Today"),
        DueGroup::ThisWeek => lang.pick("이번 주", "This week"),
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
        for (i, id) in ids[window.clone()].iter().enumerate() {
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
