//! By team: each team's open actions, the team most behind first, with counts, and what each
//! finished lately with its result. Pure drawing.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::rows::{Item, Items, draw_items, finished_items, follow_item};
use super::{Theme, block};
use crate::app::App;
use crate::domain::State;
use crate::i18n::Lang;

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
            items.extend(follow_item(app, state, theme, *id));
            n += 1;
        }
        recent_of(app, state, theme, &g.team, &mut items);
    }
    // Teams that finished something lately but owe nothing now.
    let mut quiet: Vec<&crate::domain::TeamCode> = app
        .screens
        .by_team
        .recent
        .iter()
        .map(|a| &a.team)
        .filter(|t| !groups.iter().any(|g| &g.team == *t))
        .collect();
    quiet.sort();
    quiet.dedup();
    for team in quiet {
        let name = state
            .team(team)
            .map_or(team.to_string(), |t| format!("{} {}", t.code, t.name(lang)));
        items.push(Item::Heading(Line::from(vec![
            Span::raw("■ "),
            Span::styled(name, theme.title()),
            Span::styled(lang.pick("  진행 0건", "  0 open"), theme.dim()),
        ])));
        recent_of(app, state, theme, team, &mut items);
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

/// A team's actions finished or dropped lately, newest first, under a small heading.
fn recent_of(
    app: &App,
    state: &State,
    theme: Theme,
    team: &crate::domain::TeamCode,
    items: &mut Vec<Item>,
) {
    let lang = app.session.lang;
    let done: Vec<&crate::domain::Action> = app
        .screens
        .by_team
        .recent
        .iter()
        .filter(|a| &a.team == team)
        .collect();
    if done.is_empty() {
        return;
    }
    items.push(Item::Heading(Line::from(Span::styled(
        match lang {
            Lang::Ko => format!(
                "  최근 {}일 완료·취소 {}건",
                crate::app::screens::RECENT_DAYS,
                done.len()
            ),
            Lang::En => format!(
                "  finished in the last {} days: {}",
                crate::app::screens::RECENT_DAYS,
                done.len()
            ),
        },
        theme.dim(),
    ))));
    for a in done {
        items.extend(finished_items(app, state, theme, a));
    }
}
