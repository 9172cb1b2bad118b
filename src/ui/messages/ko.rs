//! 한국어: what the app says, in Korean. Pure.

use super::failure;
use crate::app::form::{FieldId, FormKind};
use crate::app::{FormError, MeetingStep, MergeSide, Message, Question, Saved, Screen};
use crate::i18n::{Lang, Localize};

/// A status-line message.
pub(super) fn message(message: &Message) -> String {
    match message {
        Message::Saved { what, undo } => {
            let hint = if *undo {
                " (⟦undo⟧: 되돌리기)"
            } else {
                ""
            };
            format!("{}{hint}", saved(what))
        }
        Message::Failed(why) => failure(why, Lang::Ko),
        Message::Changed { summary, by } => format!("{} · {by}", summary.describe(Lang::Ko)),
        Message::ServerLost => {
            "서버 연결이 끊겼습니다: 다시 연결하는 중입니다 (저장하지 않은 입력은 그대로 있습니다)"
                .into()
        }
        Message::ServerBack => "서버에 다시 연결했습니다".into(),
        Message::Discarded => "입력을 버렸습니다".into(),
        Message::Cancelled => "취소했습니다".into(),
        Message::NothingChanged => "바뀐 것이 없습니다".into(),
        Message::NothingToUndo => {
            "되돌릴 변경이 없습니다 (이번 실행에서 저장한 변경만 되돌립니다)".into()
        }
        Message::SelectCase => "먼저 사례를 고르세요".into(),
        Message::SelectActionInPane => {
            "먼저 조치 칸에서 조치를 고르세요 (⟦pane_next⟧: 칸 바꾸기)".into()
        }
        Message::SelectAction => {
            "먼저 조치를 고르세요: 사례를 열거나(⟦open⟧) 부서별·기한 화면에서".into()
        }
        Message::FilterOnLists { keys } => format!("필터는 목록 화면({keys})에서 씁니다"),
        Message::MinutesWritten { path } => format!("회의록을 저장했습니다: {path}"),
        Message::MinutesNotWritten { why } => {
            format!("회의록을 저장하지 못했습니다: {why} — casedesk를 실행한 폴더를 확인하세요")
        }
        Message::MinutesNeedConference => {
            "먼저 사례회의를 여세요: 회의록은 회의 하나의 기록입니다".into()
        }
        Message::PresentationOn => "발표 모드: 모든 이름을 가리고 제한 기록을 숨깁니다".into(),
        Message::PresentationOff => "발표 모드를 껐습니다".into(),
        Message::ClosedCaseNoActions => "종결·사후관리 사례에는 조치를 추가할 수 없습니다".into(),
        Message::ActionNotOpen { id, status } => format!(
            "조치 {id}은(는) 이미 {}되었습니다: 진행 중인 조치만 고칠 수 있습니다",
            status.ko()
        ),
        Message::NoSessions { id } => {
            format!("조치 {id}은(는) 회기가 있는 반복 조치가 아닙니다")
        }
        Message::NotAReferral { id, team } => format!(
            "조치 {id}은(는) 내부 부서 {team}의 일이라 의뢰가 아닙니다: 외부 기관의 조치에만 의뢰 상태를 기록합니다"
        ),
        Message::StoppedFollowing => "따라보기를 마쳤습니다".into(),
        Message::FollowingReadOnly => {
            "읽기 전용: 회의를 따라보는 중입니다 (⟦back⟧: 그만 보기, ⟦quit⟧: 끝내기)".into()
        }
        Message::NothingToFollow => "따라볼 진행 중인 사례회의가 없습니다".into(),
        Message::ClosedConference { key } => {
            format!("끝난 회의는 고칠 수 없습니다: {key}로 정정 기록을 덧붙이세요")
        }
        Message::AmendClosedOnly => {
            "정정 기록은 끝난 회의에 덧붙입니다: 지금은 바로 고치세요".into()
        }
        Message::AttendancePane => "참석 표시는 참석 칸에서 합니다 (⟦pane_next⟧: 칸 바꾸기)".into(),
        Message::AlreadyDeferred => "이미 보류한 안건입니다".into(),
        Message::DeferWhileRunning => "보류는 회의 중에 합니다: 지금은 안건에서 빼면 됩니다".into(),
        Message::LastItem { key } => format!("마지막 안건입니다: {key}로 회의를 마칩니다"),
        Message::FirstItem => "첫 안건입니다".into(),
        Message::Notice(text) => text.clone(),
        Message::MergedCase { case, into } => {
            format!("{case}은(는) {into}에 병합되어 더 기록할 수 없습니다 (⟦open⟧: {into} 열기)")
        }
    }
}

/// A saved change.
pub(super) fn saved(saved: &Saved) -> String {
    match saved {
        Saved::Case(number) => format!("사례 {number} 등록"),
        Saved::Action(id) => format!("조치 {id} 추가"),
        Saved::Conference(id) => format!("사례회의 #{id} 준비: 안건을 확인하세요"),
        Saved::Decision(case) => format!("{case} 결정사항 기록"),
        Saved::Review(case) => format!("{case} 다음 점검일 저장"),
        Saved::Amended(id) => format!("사례회의 #{id}에 정정 기록을 덧붙였습니다"),
        Saved::Level(case) => format!("{case} 위기 수준 변경"),
        Saved::Stage(case) => format!("{case} 단계 변경"),
        Saved::Meeting(step) => match step {
            MeetingStep::Prepare => "준비 내용 저장",
            MeetingStep::Arrange => "안건·참석 변경 저장",
            MeetingStep::Start => "회의 시작: 첫 안건",
            MeetingStep::Move => "안건 이동",
            MeetingStep::Defer => "다음 회의로 보류",
            MeetingStep::Resume => "진행 중인 회의로 돌아왔습니다",
            MeetingStep::Pause => "회의 시계를 멈췄습니다",
            MeetingStep::Close => "회의를 마쳤습니다: 부서별 요약",
        }
        .into(),
        Saved::Note(case) => format!("{case}에 기록 추가"),
        Saved::Done(id) => format!("조치 {id} 완료"),
        Saved::Dropped(id) => format!("조치 {id} 취소"),
        Saved::Progress(id) => format!("조치 {id} 경과 기록"),
        Saved::Referral(id) => format!("의뢰 {id} 상태 기록"),
        Saved::Session(id) => format!("{id} 회기 기록"),
        Saved::ActionChanged(id) => format!("조치 {id} 수정"),
        Saved::CaseChanged(number) => format!("사례 {number} 수정"),
        Saved::Consent(number) => format!("사례 {number} 보호자 동의 기록"),
        Saved::Merged { keep, other, moved } => {
            format!("{other}을(를) {keep}에 병합: 조치 {moved}건 이동")
        }
        Saved::Undone => "되돌렸습니다".into(),
        Saved::Other => "저장했습니다".into(),
    }
}

/// A yes/no question.
pub(super) fn question(question: &Question) -> String {
    match question {
        Question::Discard => "입력한 내용을 버리고 닫을까요? (⟦yes⟧/⟦no⟧)".into(),
        Question::Undo(what) => format!("'{}'을(를) 되돌릴까요? (⟦yes⟧/⟦no⟧)", saved(what)),
        Question::Start {
            id,
            items,
            present,
            attendees,
        } => {
            format!(
                "사례회의 #{id}을 시작할까요? 안건 {items}건, 참석 {present}/{attendees} (⟦yes⟧/⟦no⟧)"
            )
        }
        Question::Close { id, open } => format!(
            "사례회의 #{id}을 마칠까요? 논의하지 않은 안건 {open}건. 마치면 고칠 수 없습니다 (⟦yes⟧/⟦no⟧)"
        ),
        Question::PrepareNext { date, time } => format!(
            "다음 회의 {}{}을 지금 준비할까요? (y/n)",
            crate::i18n::day(*date, Lang::Ko),
            time.map(|t| t.format(" %H:%M").to_string())
                .unwrap_or_default()
        ),
        Question::Merge(plan) => {
            let (keep, other) = (plan.keep.number, plan.other.number);
            format!(
                "사례 병합: {other} → {keep}\n남길 사례: {}\n병합할 사례: {}\n옮겨지는 것: 조치 {}건(진행 {}), 기록 {}건, 사례회의 안건 {}건\n{other}은(는) {keep}을(를) 가리키는 기록으로만 남습니다.\n되돌리기(⟦undo⟧)로 되돌릴 수 있습니다.\n병합할까요? (⟦yes⟧/⟦no⟧)",
                side(&plan.keep),
                side(&plan.other),
                plan.actions,
                plan.open,
                plan.notes,
                plan.items
            )
        }
    }
}

/// One side of a merge: `2026-0003 서*지 · 한빛초등학교 3-2 · 지원·점검`.
fn side(side: &MergeSide) -> String {
    format!(
        "{} {} · {} {} · {}",
        side.number,
        side.student,
        side.school,
        side.grade,
        side.stage.label(Lang::Ko)
    )
}

/// Why a form cannot be saved.
pub(super) fn form_error(error: &FormError) -> String {
    match error {
        FormError::Required(field) => {
            let label = field_label(*field);
            format!("{label}{} 입력하세요", eul_reul(label))
        }
        FormError::Missing(field) => field_label(*field).to_string(),
        FormError::Refused(e) => e.localize(Lang::Ko),
        FormError::Date(e) => e.localize(Lang::Ko),
        FormError::BadTime(field) => format!(
            "{}을 읽을 수 없습니다: 14:00, 1400, 오후 2시처럼 쓰세요",
            field_label(*field)
        ),
        FormError::BadNumber(field) => {
            format!("{}에는 숫자를 쓰세요 (예: 120)", field_label(*field))
        }
        FormError::Failed(why) => failure(why, Lang::Ko),
        FormError::Unchosen { field, typed } => format!(
            "{}: '{typed}'에 맞는 것이 하나로 정해지지 않아 저장하지 않았습니다 — 코드나 이름을 더 입력하거나 ←/→로 후보 중에서 고르세요",
            field_label(*field)
        ),
    }
}

/// "을" or "를" after `word`, as Korean grammar wants (받침 or not).
fn eul_reul(word: &str) -> &'static str {
    match word.chars().last() {
        Some(c @ '가'..='힣') if !(c as u32 - 0xAC00).is_multiple_of(28) => "을",
        Some('가'..='힣') => "를",
        _ => "을(를)",
    }
}

/// A screen's name.
pub(super) fn screen_title(screen: Screen) -> &'static str {
    match screen {
        Screen::Dashboard => "대시보드",
        Screen::ByTeam => "부서별",
        Screen::Due => "기한",
        Screen::Case => "사례",
        Screen::Help => "도움말",
        Screen::Conferences => "사례회의",
        Screen::Conference => "회의",
        Screen::Stats => "통계",
    }
}

/// A form field's label.
pub(super) fn field_label(field: FieldId) -> &'static str {
    match field {
        FieldId::Student => "학생 이름",
        FieldId::School => "학교",
        FieldId::Grade => "학년-반",
        FieldId::Birth => "생년월일",
        FieldId::Sex => "성별",
        FieldId::Lead => "주관부서",
        FieldId::CoTeams => "협력부서",
        FieldId::Level => "위기 수준",
        FieldId::Stage => "단계",
        FieldId::Domains => "어려움 영역",
        FieldId::Review => "다음 점검일",
        FieldId::Person => "담당자",
        FieldId::Source => "의뢰처",
        FieldId::Summary => "요약",
        FieldId::Urgent => "긴급",
        FieldId::Safety => "안전 우려",
        FieldId::ConsentOn => "날짜",
        FieldId::ConsentDo => "할 일",
        FieldId::ConsentKind => "동의 종류",
        FieldId::ConsentAgency => "제공 기관",
        FieldId::ConsentBy => "동의한 사람",
        FieldId::WithoutConsent => "동의 없는 사유",
        FieldId::Background => "배경 항목",
        FieldId::SkipStages => "단계 건너뛰기",
        FieldId::AllowDuplicate => "중복 등록",
        FieldId::Title => "조치 내용",
        FieldId::Team => "담당 부서",
        FieldId::Due => "기한",
        FieldId::Reason => "취소 사유",
        FieldId::Progress => "경과",
        FieldId::ReferralStatus => "의뢰 상태",
        FieldId::SessionNo => "회기",
        FieldId::SessionMark => "진행·결석",
        FieldId::Text => "기록",
        FieldId::Restricted => "제한 기록",
        FieldId::Decision => "결정사항",
        FieldId::Date => "회의 날짜",
        FieldId::Kind => "종류",
        FieldId::ConferenceTitle => "회의 제목",
        FieldId::Facilitator => "진행",
        FieldId::Case => "사례 번호",
        FieldId::MergeCandidate => "같은 학생",
        FieldId::Present => "참석",
        FieldId::Correction => "정정 내용",
        FieldId::Time => "시각",
        FieldId::Place => "장소",
        FieldId::Length => "길이(분)",
        FieldId::NextDate => "다음 회의 날짜",
        FieldId::NextTime => "다음 회의 시각",
        FieldId::Role => "역할",
        FieldId::Status => "참석 여부",
        FieldId::AgencyName => "기관 이름",
        FieldId::AgencyCode => "기관 약칭",
        FieldId::TeamCode => "코드",
        FieldId::TeamName => "이름",
        FieldId::TeamNameEn => "영문 이름",
        FieldId::External => "외부 기관",
    }
}

/// A form's title; `subject` names the action it is about, when there is one.
pub(super) fn form_title(kind: FormKind, subject: &str) -> String {
    let subject = if subject.is_empty() {
        String::new()
    } else {
        format!(" · {subject}")
    };
    match kind {
        FormKind::NewCase => "새 사례".to_string(),
        FormKind::EditCase(n) => format!("사례 수정 {n}"),
        FormKind::AddAction(n) => format!("조치 추가 {n}"),
        FormKind::EditAction(id) => format!("조치 수정 {id}{subject}"),
        FormKind::DropAction(id) => format!("조치 취소 {id}{subject}"),
        FormKind::ActionProgress(id) => format!("경과 기록 {id}{subject}"),
        FormKind::Referral(id) => format!("의뢰 상태 {id}{subject}"),
        FormKind::Session(id) => format!("회기 기록 {id}{subject}"),
        FormKind::Note(n) => format!("기록 추가 {n}"),
        FormKind::Decision(_, n) => format!("결정사항 {n}"),
        FormKind::Review(n) => format!("다음 점검일 {n}"),
        FormKind::Level(n) => format!("위기 수준 {n}"),
        FormKind::Stage(n) => format!("단계 {n}"),
        FormKind::NewConference => "새 사례회의".to_string(),
        FormKind::ConferenceDetails(id) => format!("사례회의 정보 #{id}"),
        FormKind::AgendaAdd(id) => format!("안건 추가 #{id}"),
        FormKind::AttendeeAdd(id) => format!("참석자 추가 #{id}"),
        FormKind::AgencyAdd(id) => format!("새 기관 참석자 추가 #{id}"),
        FormKind::Amend(id) => format!("정정 기록 #{id}"),
        FormKind::AddTeam => "부서·기관 추가".to_string(),
        FormKind::Consent(n) => format!("보호자 동의 {n}{subject}"),
        FormKind::MergeCase(n) => format!("다른 사례를 {n}에 병합{subject}"),
    }
}
