//! Synthetic demo data — invented Korean names and schools, cases, actions and notes spread
//! around "now" — deterministic per seed; never real people. Pure: it makes commands and
//! leaves writing them to the store.

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveTime};

use crate::domain::model::{Grade, Student, default_teams};
use crate::domain::vocab::{Concern, DifficultyDomain, Level, NoteKind, Sex, Stage};
use crate::domain::vocab::{ConsentGiver, ConsentKind, TeamKind};
use crate::domain::{
    CaseNumber, CaseUpdate, Command, Ctx, NewCase, NewConsent, Outcome, SharingCheck, State,
    TeamCode,
};

const SURNAMES: &[&str] = &[
    "김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권", "황",
    "안", "송", "류", "홍",
];
const GIVEN: &[&str] = &[
    "민", "서", "준", "지", "현", "우", "윤", "하", "은", "도", "예", "수", "진", "연", "호", "아",
    "성", "재", "유", "채", "다", "시", "나", "주", "원", "건", "린", "율", "온", "결",
];
const SCHOOL_NAMES: &[&str] = &[
    "한빛",
    "새솔",
    "푸른",
    "늘봄",
    "다솜",
    "해오름",
    "솔빛",
    "가람",
    "누리",
    "별빛",
    "하늘",
    "미래",
    "동산",
    "샘터",
    "은행",
    "느티",
    "바람",
    "햇살",
    "초록",
    "마루",
];
const SOURCES: &[&str] = &[
    "담임교사",
    "교육복지사",
    "Wee클래스 상담교사",
    "보건교사",
    "보호자",
    "행정복지센터",
];

/// Action titles a team would own.
fn titles(team: &str) -> &'static [&'static str] {
    match team {
        "CENTER" => &[
            "사례회의 안건 상정",
            "보호자 상담 일정 조율",
            "통합지원계획 수립",
            "지원 경과 점검",
        ],
        "WELF" => &[
            "교육복지 프로그램 연계",
            "가정방문 및 생활 실태 확인",
            "방과후 돌봄 연계",
        ],
        "WEE" => &[
            "개별 상담 주 1회 진행",
            "심리검사 실시 및 결과 공유",
            "위기 상담 및 안전 계획 수립",
        ],
        "SPED" => &["특수교육대상자 진단·평가 의뢰", "치료지원 서비스 안내"],
        "ACAD" => &["기초학력 진단 및 학습코칭 배정", "두드림학교 프로그램 연계"],
        "SAFE" => &["학교폭력 사안 처리 지원", "관계회복 프로그램 연계"],
        "MULTI" => &["한국어 학습 지원 연계", "통역 지원 및 보호자 상담"],
        "HEALTH" => &["건강검진 및 의료비 지원 안내", "보건실 정기 확인"],
        "CPA" => &[
            "아동학대 의심 사례 공유 및 조사 요청",
            "보호 조치 결과 회신 요청",
        ],
        "MHC" => &["정신건강 평가 의뢰", "자살위기 개입 연계"],
        "YCC" => &["청소년동반자 연계", "집단상담 프로그램 의뢰"],
        "CSC" => &["긴급복지 지원 신청", "기초생활 수급 상담 연계"],
        "DREAM" => &["드림스타트 사례관리 연계", "가정 양육 지원 서비스 안내"],
        "POLICE" => &["학교전담경찰관 면담 요청", "안전 순찰 강화 요청"],
        _ => &["후속 조치 확인"],
    }
}

const NOTES: &[&str] = &[
    "담임교사와 통화: 최근 2주간 결석 3회, 등교 시 표정 어두움",
    "학생 면담: 교우 관계 어려움 호소, 점심시간 혼자 지냄",
    "보호자 상담: 가정 내 돌봄 공백 확인, 지원 의사 있음",
    "학교 방문: 담임·상담교사와 지원 방향 협의",
    "지원 경과: 상담 참여 꾸준함, 결석 줄어듦",
    "협력기관 회신: 서비스 대기 2주 예상",
    "보호자 연락 두절, 다음 주 재시도 예정",
];
const RESTRICTED_NOTES: &[&str] = &[
    "학대 의심 정황 관련 진술 기록 (세부 내용 제한)",
    "자해 흔적 확인 및 안전 계획 수립 기록 (세부 내용 제한)",
];

/// The office name demo stores get.
pub const DEMO_OFFICE: &str = "가온교육지원청 (데모)";

/// What a demo run makes: the commands in time order, each with its moment and author. `base`
/// is the store as it is (it should have no cases, so that numbers start at 1); when it is not
/// set up yet, the first command sets it up as a demo store. Every command returned is checked
/// against the records the ones before it leave, so the whole batch applies.
pub fn generate(
    base: &State,
    cases: usize,
    seed: u64,
    now: DateTime<FixedOffset>,
) -> Vec<(Command, Ctx)> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut events: Vec<Event> = Vec::new();
    for idx in 0..cases {
        plan_case(&mut rng, idx, now, &mut events);
    }
    events.sort_by_key(|e| (e.at, e.case, e.order));

    let mut state = base.clone();
    let mut out = Vec::with_capacity(events.len() + 1);
    if state.office.is_none() {
        let first_at = events.first().map_or(now, |e| e.at.min(now)) - Duration::days(1);
        let init = Command::InitStore {
            office: DEMO_OFFICE.into(),
            teams: default_teams(),
            demo: true,
        };
        let ctx = Ctx {
            at: first_at,
            user: "demo".into(),
        };
        push(&mut state, &mut out, init, &ctx);
    }
    let mut numbers: Vec<Option<CaseNumber>> = vec![None; cases];
    for ev in events {
        let ctx = Ctx {
            at: ev.at,
            user: ev.user.to_string(),
        };
        let cmd = match (ev.kind, numbers.get(ev.case).copied().flatten()) {
            (Kind::Create(new), _) => Command::CreateCase { case: *new },
            (_, None) => continue,
            (Kind::Update(change), Some(case)) => Command::UpdateCase {
                case,
                change,
                conference: None,
            },
            (
                Kind::AddAction {
                    title,
                    team,
                    due_on,
                    person,
                },
                Some(case),
            ) => {
                let sharing = sharing_for(&mut state, case, &team, &ctx, &mut out);
                Command::AddAction {
                    case,
                    title,
                    team,
                    due_on,
                    person,
                    conference: None,
                    sharing,
                }
            }
            (Kind::Done { n, note }, Some(case)) => Command::CompleteAction {
                action: crate::domain::ActionId { case, n },
                note,
            },
            (Kind::Drop { n, reason }, Some(case)) => Command::DropAction {
                action: crate::domain::ActionId { case, n },
                reason,
            },
            (
                Kind::Note {
                    kind,
                    text,
                    restricted,
                },
                Some(case),
            ) => Command::AddNote {
                case,
                kind,
                text,
                restricted,
            },
            (Kind::Close { reason }, Some(case)) => Command::CloseCase {
                case,
                reason,
                drop_open: true,
            },
        };
        // The plan is made without the rules; the rules have the last word, and a step they
        // refuse (a review date that happens to repeat, say) is left out.
        if let Some(outcome) = push(&mut state, &mut out, cmd, &ctx) {
            let created = match outcome {
                Outcome::Case { number } => Some(number),
                _ => None,
            };
            if let Some(number) = created
                && let Some(slot) = numbers.get_mut(ev.case)
            {
                *slot = Some(number);
            }
            // Most guardians consent to collection and use at intake; a few are still asked.
            if let Some(case) = created.filter(|n| !n.seq.is_multiple_of(11)) {
                let consent = Command::AddConsent {
                    case,
                    consent: NewConsent {
                        kind: ConsentKind::Collection,
                        agency: None,
                        given_on: ctx.today(),
                        given_by: ConsentGiver::Guardian,
                    },
                };
                push(&mut state, &mut out, consent, &ctx);
            }
        }
    }
    out
}

/// Runs `cmd` against `state` and keeps it when the rules take it, with what it assigned.
fn push(
    state: &mut State,
    out: &mut Vec<(Command, Ctx)>,
    cmd: Command,
    ctx: &Ctx,
) -> Option<Outcome> {
    let (outcome, changes) = state.execute(&cmd, ctx).ok()?;
    state.commit(changes);
    out.push((cmd, ctx.clone()));
    Some(outcome)
}

/// How an action for `team` on `case` stands with consent, recording the guardian's consent to
/// share with an outside agency first — but for one case in seven, referred in an emergency
/// before the guardian could be asked.
fn sharing_for(
    state: &mut State,
    case: CaseNumber,
    team: &TeamCode,
    ctx: &Ctx,
    out: &mut Vec<(Command, Ctx)>,
) -> SharingCheck {
    let external = state
        .teams
        .get(team)
        .is_some_and(|t| t.kind == TeamKind::External);
    let standing = state
        .cases
        .get(&case)
        .is_some_and(|c| c.consent.may_share_with(team, ctx.today()));
    if !external || standing {
        return SharingCheck::Required;
    }
    if case.seq.is_multiple_of(7) {
        return SharingCheck::Without {
            reason: "안전 우려로 보호자 동의 전 긴급 연계".into(),
        };
    }
    let consent = Command::AddConsent {
        case,
        consent: NewConsent {
            kind: ConsentKind::Sharing,
            agency: Some(team.clone()),
            given_on: ctx.today(),
            given_by: if case.seq.is_multiple_of(2) {
                ConsentGiver::Guardian
            } else {
                ConsentGiver::Both
            },
        },
    };
    if push(state, out, consent, ctx).is_some() {
        SharingCheck::Required
    } else {
        SharingCheck::Unchecked
    }
}

struct Event {
    at: DateTime<FixedOffset>,
    case: usize,
    order: usize,
    user: &'static str,
    kind: Kind,
}

// Demo steps are made and used one at a time.
#[allow(clippy::large_enum_variant)]
enum Kind {
    Create(Box<NewCase>),
    Update(CaseUpdate),
    AddAction {
        title: String,
        team: TeamCode,
        due_on: NaiveDate,
        person: Option<String>,
    },
    Done {
        n: u32,
        note: Option<String>,
    },
    Drop {
        n: u32,
        reason: String,
    },
    Note {
        kind: NoteKind,
        text: String,
        restricted: bool,
    },
    Close {
        reason: String,
    },
}

#[expect(
    clippy::indexing_slicing,
    reason = "the tables are constant and not empty, and the index is drawn below their length"
)]
fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

fn name(rng: &mut fastrand::Rng) -> String {
    format!(
        "{}{}{}",
        pick(rng, SURNAMES),
        pick(rng, GIVEN),
        pick(rng, GIVEN)
    )
}

#[expect(
    clippy::indexing_slicing,
    reason = "the default team list is a constant table, never empty"
)]
fn code(text: &str) -> TeamCode {
    // Every code used here is one of the default teams'.
    TeamCode::new(text).unwrap_or_else(|| default_teams()[0].code.clone())
}

/// A moment on `day` in office hours.
fn office_time(
    rng: &mut fastrand::Rng,
    day: NaiveDate,
    offset: FixedOffset,
) -> DateTime<FixedOffset> {
    let minutes = rng.u32(9 * 60..18 * 60);
    let time = NaiveTime::from_num_seconds_from_midnight_opt(minutes * 60, 0).unwrap_or_default();
    day.and_time(time)
        .and_local_timezone(offset)
        .single()
        .unwrap_or_else(|| day.and_time(time).and_utc().fixed_offset())
}

fn plan_case(
    rng: &mut fastrand::Rng,
    idx: usize,
    now: DateTime<FixedOffset>,
    events: &mut Vec<Event>,
) {
    let offset = *now.offset();
    let today = now.date_naive();
    // More recent referrals than old ones, as in a growing programme.
    let u = rng.f64();
    let days_ago = (u * u * 540.0) as i64;
    let t0 =
        office_time(rng, today - Duration::days(days_ago), offset).min(now - Duration::minutes(30));

    let mut concerns: Vec<Concern> = Vec::new();
    for _ in 0..rng.usize(1..=3) {
        let c = *pick(rng, Concern::ALL);
        if !concerns.contains(&c) {
            concerns.push(c);
        }
    }
    let lead = *pick(
        rng,
        &[
            "CENTER", "CENTER", "CENTER", "WEE", "WEE", "WELF", "WELF", "ACAD", "SPED", "SAFE",
            "MULTI",
        ],
    );
    let mut co: Vec<&str> = Vec::new();
    for c in &concerns {
        let partner = match c {
            Concern::Neglect | Concern::Upbringing => "CPA",
            Concern::SelfHarm | Concern::Depression | Concern::Anxiety => "MHC",
            Concern::Poverty | Concern::Hunger | Concern::GuardianLoss => "CSC",
            Concern::SchoolViolence | Concern::SexualViolence => "SAFE",
            Concern::BasicLearning | Concern::SubjectGap => "ACAD",
            Concern::Illness | Concern::Obesity => "HEALTH",
            Concern::Adhd | Concern::Lethargy | Concern::Anger => "WEE",
            Concern::DropoutRisk => "YCC",
        };
        if partner != lead && !co.contains(&partner) && rng.u8(..10) < 7 {
            co.push(partner);
        }
    }
    if rng.bool() {
        let extra = *pick(rng, &["WELF", "WEE", "DREAM", "YCC"]);
        if extra != lead && !co.contains(&extra) {
            co.push(extra);
        }
    }
    let mut level = *pick(
        rng,
        &[
            Level::Watch,
            Level::Watch,
            Level::Caution,
            Level::Caution,
            Level::Caution,
            Level::Crisis,
            Level::Crisis,
            Level::High,
        ],
    );
    let kind = rng.u8(..3);
    let (suffix, max_grade) = match kind {
        0 => ("초등학교", 6),
        1 => ("중학교", 3),
        _ => ("고등학교", 3),
    };
    let school = format!("{}{}", pick(rng, SCHOOL_NAMES), suffix);
    let sensitive = concerns.iter().any(|c| {
        matches!(
            c,
            Concern::Neglect | Concern::SelfHarm | Concern::SexualViolence
        )
    });
    let user = *pick(rng, &["coord.kim", "coord.lee", "wee.park", "welf.choi"]);
    // Korean school ages: elementary grade 1 at 7, middle school grade 1 at 13, high at 16.
    let grade_year = rng.u8(1..=max_grade);
    let first_grade_age = match kind {
        0 => 7,
        1 => 13,
        _ => 16,
    };
    let birth_year = today.year() - first_grade_age - i32::from(grade_year) + 1;
    let new = NewCase {
        student: Student {
            name: name(rng),
            birth_on: NaiveDate::from_ymd_opt(birth_year, rng.u32(1..=12), rng.u32(1..=28)),
            sex: Some(if rng.bool() { Sex::Male } else { Sex::Female }),
        },
        school: school.clone(),
        grade: Grade {
            year: grade_year,
            class: Some(rng.u16(1..=8)),
        },
        lead_team: code(lead),
        co_teams: co.iter().map(|c| code(c)).collect(),
        level: Some(level),
        domains: if concerns.is_empty() {
            vec![DifficultyDomain::Care]
        } else {
            Vec::new()
        },
        concerns: concerns.clone(),
        review_on: None,
        referral_source: Some(format!("{} {}", school, pick(rng, SOURCES))),
        referred_on: Some(t0.date_naive() - Duration::days(rng.i64(0..5))),
        lead_person: Some(name(rng)),
        summary: Some(format!("{}에서 의뢰. 복합 지원 필요.", school)),
        urgent: level == Level::High && rng.bool(),
        safety: sensitive,
        background: Vec::new(),
        check_duplicates: false,
    };
    let mut evs: Vec<(DateTime<FixedOffset>, Kind)> = vec![(t0, Kind::Create(Box::new(new)))];

    let closes_at = if days_ago > 100 && rng.u8(..100) < 70 {
        Some(t0 + Duration::days(rng.i64(80..300)))
    } else {
        None
    };
    let end = closes_at.map_or(now, |c| c.min(now));
    let mut actions: Vec<(u32, DateTime<FixedOffset>, NaiveDate)> = Vec::new();
    let teams_for_actions: Vec<&str> = std::iter::once(lead).chain(co.iter().copied()).collect();
    let add_action =
        |rng: &mut fastrand::Rng,
         at: DateTime<FixedOffset>,
         evs: &mut Vec<(DateTime<FixedOffset>, Kind)>,
         actions: &mut Vec<(u32, DateTime<FixedOffset>, NaiveDate)>| {
            let team = *pick(rng, &teams_for_actions);
            // Due dates fall on working days, as a coordinator would set them.
            let due = crate::domain::dates::add_business_days(at.date_naive(), rng.i64(3..28));
            let n = actions.len() as u32 + 1;
            actions.push((n, at, due));
            evs.push((
                at,
                Kind::AddAction {
                    title: pick(rng, titles(team)).to_string(),
                    team: code(team),
                    due_on: due,
                    person: rng.bool().then(|| name(rng)),
                },
            ));
        };

    let mut t = t0 + Duration::days(rng.i64(1..6));
    let stages = [
        Stage::Assessment,
        Stage::Conference,
        Stage::Plan,
        Stage::Support,
    ];
    for (i, stage) in stages.iter().enumerate() {
        if t >= end {
            break;
        }
        evs.push((
            t,
            Kind::Update(CaseUpdate {
                stage: Some(*stage),
                ..CaseUpdate::default()
            }),
        ));
        match stage {
            Stage::Assessment => {
                evs.push((
                    t + Duration::hours(1),
                    Kind::Note {
                        kind: NoteKind::Contact,
                        text: pick(rng, NOTES).to_string(),
                        restricted: false,
                    },
                ));
                if sensitive {
                    evs.push((
                        t + Duration::hours(2),
                        Kind::Note {
                            kind: NoteKind::Note,
                            text: pick(rng, RESTRICTED_NOTES).to_string(),
                            restricted: true,
                        },
                    ));
                }
            }
            Stage::Conference => {
                for k in 0..rng.i64(1..=3) {
                    add_action(rng, t + Duration::minutes(10 + k), &mut evs, &mut actions);
                }
                let review = t.date_naive() + Duration::days(rng.i64(21..60));
                evs.push((
                    t + Duration::minutes(20),
                    Kind::Update(CaseUpdate {
                        review_on: Some(Some(review)),
                        ..CaseUpdate::default()
                    }),
                ));
                evs.push((
                    t + Duration::minutes(21),
                    Kind::Note {
                        kind: NoteKind::Decision,
                        text: "사례회의 결정: 주관부서 중심 통합지원, 협력기관 연계".into(),
                        restricted: false,
                    },
                ));
            }
            _ => {}
        }
        t += Duration::days(if i == 0 {
            rng.i64(3..14)
        } else {
            rng.i64(1..7)
        });
    }
    // Follow-ups while the case runs.
    loop {
        t += Duration::days(rng.i64(14..40));
        if t >= end {
            break;
        }
        evs.push((
            t,
            Kind::Note {
                kind: NoteKind::Note,
                text: pick(rng, NOTES).to_string(),
                restricted: false,
            },
        ));
        if rng.bool() {
            add_action(rng, t + Duration::minutes(5), &mut evs, &mut actions);
        }
        if rng.u8(..4) == 0 {
            let next = *pick(rng, Level::ALL);
            if next != level {
                level = next;
                evs.push((
                    t + Duration::minutes(6),
                    Kind::Update(CaseUpdate {
                        level: Some(level),
                        ..CaseUpdate::default()
                    }),
                ));
            }
        }
        let review = t.date_naive() + Duration::days(rng.i64(14..45));
        evs.push((
            t + Duration::minutes(7),
            Kind::Update(CaseUpdate {
                review_on: Some(Some(review)),
                ..CaseUpdate::default()
            }),
        ));
    }
    // What became of each action.
    for (n, created, due) in &actions {
        let due_at = office_time(rng, *due, offset);
        let roll = rng.u8(..100);
        let done_at = if due_at < now {
            (roll < 75).then(|| {
                *created + Duration::days(rng.i64(1..=(*due - created.date_naive()).num_days() + 7))
            })
        } else {
            (roll < 20).then(|| {
                *created + Duration::days(rng.i64(1..=((now - *created).num_days()).max(1)))
            })
        };
        if let Some(done_at) = done_at.filter(|d| *d < end) {
            let note = rng.bool().then(|| "완료, 결과 공유함".to_string());
            evs.push((done_at, Kind::Done { n: *n, note }));
        } else {
            // An action left undone long past its date is reviewed and dropped, as a coordinator
            // would at a conference; only recent ones stay overdue.
            let dropped_at = due_at + Duration::days(rng.i64(30..60));
            if dropped_at < end {
                let reason = pick(
                    rng,
                    &["상황 변경으로 불필요", "다른 조치로 대체", "보호자 거부"],
                )
                .to_string();
                evs.push((dropped_at, Kind::Drop { n: *n, reason }));
            }
        }
    }
    if let Some(closed) = closes_at.filter(|c| *c < now) {
        evs.push((
            closed,
            Kind::Close {
                reason: pick(
                    rng,
                    &[
                        "목표 달성",
                        "전학",
                        "지원 종료 (보호자 요청)",
                        "상급학교 진학 후 안정",
                    ],
                )
                .to_string(),
            },
        ));
        if rng.u8(..10) < 4 && closed + Duration::days(2) < now {
            evs.push((
                closed + Duration::days(2),
                Kind::Update(CaseUpdate {
                    stage: Some(Stage::Aftercare),
                    ..CaseUpdate::default()
                }),
            ));
        }
    }
    // Nothing but the closure itself happens at or after the end (closure or now).
    evs.retain(|(at, kind)| {
        *at < end
            || matches!(kind, Kind::Close { .. })
            || closes_at.is_some_and(|c| *at >= c && *at < now && matches!(kind, Kind::Update(_)))
    });
    evs.sort_by_key(|(at, _)| *at);
    for (order, (at, kind)) in evs.into_iter().enumerate() {
        events.push(Event {
            at,
            case: idx,
            order,
            user,
            kind,
        });
    }
}
