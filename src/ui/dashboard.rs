//! The dashboard: the case table (number, masked student, school, level, stage, lead team,
//! next due, overdue count) with the selected case's summary and open actions beside or below
//! it. Pure drawing.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{Theme, block, level_style, page_window, short_day, student_name};
use crate::app::App;
use crate::app::lists::Sort;
use crate::domain::{Action, State};
use crate::i18n::Lang;

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
    let body: Vec<Row> = rows
        .get(window.clone())
        .unwrap_or_default()
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
    // The number column is as wide as the widest number shown: `2026-78429` is never cut.
    let number_width = rows
        .get(window.clone())
        .unwrap_or_default()
        .iter()
        .map(|r| crate::cells::width(&r.number.to_string()))
        .max()
        .unwrap_or(0)
        .max(9);
    let number_width = u16::try_from(number_width).unwrap_or(u16::MAX);
    let widths = if ko {
        [
            Constraint::Length(number_width),
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
            Constraint::Length(number_width),
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
            crate::ui::messages::with_keys(
                lang.pick(
                    "진행 중인 사례가 없습니다. ⟦new_case⟧: 새 사례",
                    "No open cases. ⟦new_case⟧: new case",
                ),
                &app.session.keymap,
            )
        } else {
            crate::ui::messages::with_keys(
                lang.pick(
                    "필터에 맞는 사례가 없습니다. ⟦back⟧: 필터 지우기",
                    "No case matches the filter. ⟦back⟧: clear it",
                ),
                &app.session.keymap,
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
            crate::ui::messages::with_keys(
                &match lang {
                    Lang::Ko => format!("  … 외 {more}건 (⟦open⟧: 사례 열기)"),
                    Lang::En => format!("  … and {more} more (⟦open⟧ opens the case)"),
                },
                &app.session.keymap,
            ),
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
