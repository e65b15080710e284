//! The built-in texts: `(key, Japanese, English)`. Both languages of a key
//! take the same values. A host replaces any of them by key
//! ([`Templates`](super::Templates)).

/// Every template key with its Japanese and English text.
pub(super) const DEFAULTS: &[(&str, &str, &str)] = &[
    // Conversation.
    (
        "clarify",
        "ご用件はどちらでしょうか？",
        "Which of these do you mean?",
    ),
    (
        "out_of_scope",
        "申し訳ありません、そのご質問にはお答えできません。",
        "Sorry, I can't help with that.",
    ),
    (
        "handover",
        "担当者におつなぎします。少々お待ちください。",
        "I'm passing you to a member of staff. Please wait a moment.",
    ),
    (
        "handover_verification",
        "ご本人様の確認ができなかったため、担当者におつなぎします。",
        "I couldn't confirm your identity, so I'm passing you to a member of staff.",
    ),
    // Identity.
    (
        "ask_member_number",
        "ご本人確認のため、会員番号を教えてください。",
        "To confirm it's you, please tell me your member number.",
    ),
    (
        "ask_identity",
        "続いて、ご登録の{fields}のいずれかを教えてください。",
        "Next, please tell me the {fields} we have on file.",
    ),
    (
        "identity_mismatch",
        "ご登録の情報と一致しませんでした。お手数ですが、会員番号からもう一度お願いします（あと{attempts_left}回）。",
        "That doesn't match our records. Please give your member number again (tries left: {attempts_left}).",
    ),
    (
        "verified",
        "ご本人様を確認しました。",
        "Thank you, you're verified.",
    ),
    ("field_member_number", "会員番号", "member number"),
    ("field_email", "メールアドレス", "email address"),
    ("field_phone", "電話番号", "phone number"),
    ("field_birth_date", "生年月日", "date of birth"),
    // Details.
    (
        "ask_pause_start",
        "何月から休会されますか？（例：6月から）",
        "From which month would you like to pause? (for example, from June)",
    ),
    (
        "ask_pause_months",
        "何ヶ月休会されますか？（{min}〜{max}ヶ月）",
        "For how many months? ({min} to {max})",
    ),
    (
        "ask_resume_date",
        "いつから再開されますか？（例：来月から、6月1日）",
        "When would you like to resume? (for example, next month or June 1)",
    ),
    (
        "ask_plan",
        "どのプランに変更されますか？（{plans}）",
        "Which plan would you like? ({plans})",
    ),
    (
        "ask_change_timing",
        "変更は今すぐ（日割りで精算）と、次回更新日（{next}）からのどちらになさいますか？",
        "Would you like to change now (prorated) or from your next renewal on {next}?",
    ),
    // Retention.
    (
        "retention",
        "退会の前に、{offers}もお選びいただけます。いかがなさいますか？",
        "Before you go: you could also {offers}. Would you like that, or shall I continue with the cancellation?",
    ),
    (
        "offer_pause",
        "休会（月{fee}）",
        "pause your membership ({fee} a month)",
    ),
    (
        "offer_plan",
        "{plan}（月{price}）への変更",
        "switch to {plan} ({price} a month)",
    ),
    // Confirmation.
    (
        "confirm_pause",
        "{from}から{last}まで、{months}休会します。",
        "Your membership will pause from {from} to {last} ({months}).",
    ),
    (
        "confirm_resume",
        "{on}からご利用を再開します。",
        "Your membership will resume on {on}.",
    ),
    (
        "confirm_cancel",
        "{last}をもって退会となります。",
        "Your membership will end after {last}.",
    ),
    (
        "confirm_change_plan",
        "{on}から{plan}（{price}）に変更します。",
        "Your plan will change to {plan} ({price}) from {on}.",
    ),
    (
        "confirm_question",
        "この内容でお手続きしてよろしいですか？（はい／いいえ）",
        "Shall I go ahead? (yes/no)",
    ),
    (
        "confirmed",
        "お手続きを承りました。",
        "Done: your request has been accepted.",
    ),
    (
        "dropped",
        "かしこまりました。お手続きは行いません。",
        "All right, I won't change anything.",
    ),
    // Facts.
    ("fact_status", "ご契約状況：{status}", "Status: {status}"),
    (
        "fact_plan",
        "プラン：{plan}（{price}）",
        "Plan: {plan} ({price})",
    ),
    (
        "fact_next_renewal",
        "次回更新日：{on}",
        "Next renewal: {on}",
    ),
    (
        "fact_planned_pause",
        "休会予定：{from}〜{last}",
        "Pause planned: {from} to {last}",
    ),
    (
        "fact_planned_resume",
        "再開予定日：{on}",
        "Resuming on {on}",
    ),
    (
        "fact_planned_cancellation",
        "退会予定：{last}まで",
        "Membership ends after {last}",
    ),
    (
        "fact_planned_plan_change",
        "プラン変更予定：{on}から{plan}",
        "Plan change planned: {plan} from {on}",
    ),
    (
        "fact_minimum_term",
        "最低利用期間：{last}まで",
        "Minimum term: until {last}",
    ),
    (
        "fact_early_fee",
        "解約金：{fee}",
        "Early-termination fee: {fee}",
    ),
    (
        "fact_pause_fee",
        "休会費：月{fee}",
        "Pause fee: {fee} a month",
    ),
    (
        "fact_settlement",
        "本日の日割り精算：{amount}をご請求します",
        "Prorated charge today: {amount}",
    ),
    (
        "fact_credit",
        "日割りの差額{amount}は、次回以降のご請求から差し引きます",
        "The prorated difference of {amount} comes off your next invoices",
    ),
    (
        "fact_next_invoice",
        "次回のご請求：{date} {amount}（お引き落とし {collect}）",
        "Next invoice: {amount} on {date} (collected {collect})",
    ),
    (
        "fact_last_invoice",
        "最後のご請求：{date} {amount}",
        "Last invoice: {amount} on {date}",
    ),
    (
        "fact_no_invoice",
        "今後のご請求はありません。",
        "There are no more invoices.",
    ),
    ("fact_unpaid", "未払い：{amount}", "Unpaid: {amount}"),
    (
        "fact_booked",
        "ご予約：{session}（{start}）",
        "Booked: {session} ({start})",
    ),
    (
        "fact_waiting",
        "キャンセル待ち：{session}（{start}、{position}番目）",
        "Waitlist: {session} ({start}), number {position} in line",
    ),
    (
        "fact_no_bookings",
        "現在、ご予約とキャンセル待ちはありません。",
        "You have no bookings or waitlist places.",
    ),
    (
        "fact_session",
        "クラス：{session}（{start}）",
        "Class: {session} ({start})",
    ),
    (
        "fact_waitlist_position",
        "キャンセル待ちの{position}番目です",
        "You'll be number {position} on the waitlist",
    ),
    (
        "fact_credits_used",
        "回数券：{credits}回分を使います",
        "Punch card: {credits} credit(s) used",
    ),
    (
        "fact_credits_forfeited",
        "直前のキャンセルのため、回数券{credits}回分は戻りません",
        "A late cancel: {credits} credit(s) will not come back",
    ),
    (
        "fact_late_cancel_fee",
        "直前のキャンセルのため、キャンセル料{fee}がかかります",
        "A late cancel: a fee of {fee} applies",
    ),
    (
        "ask_session",
        "どのクラスになさいますか？（{choices}）",
        "Which class do you mean? ({choices})",
    ),
    (
        "confirm_book",
        "{session}（{start}）を予約します。",
        "I'll book {session} ({start}) for you.",
    ),
    (
        "confirm_join_waitlist",
        "{session}（{start}）のキャンセル待ちに登録します。",
        "I'll put you on the waitlist for {session} ({start}).",
    ),
    (
        "confirm_cancel_booking",
        "{session}（{start}）のご予約を取り消します。",
        "I'll cancel your booking for {session} ({start}).",
    ),
    (
        "confirm_leave_waitlist",
        "{session}（{start}）のキャンセル待ちを取り消します。",
        "I'll take you off the waitlist for {session} ({start}).",
    ),
    (
        "refuse_booking_no_session",
        "ご希望に合うクラスが見つかりませんでした。",
        "I couldn't find a class that fits.",
    ),
    (
        "refuse_booking_full",
        "このクラスは満席です。",
        "That class is full.",
    ),
    (
        "refuse_booking_closed",
        "このクラスの予約受付は終了しました。",
        "Booking for that class has closed.",
    ),
    (
        "refuse_booking_not_open",
        "このクラスの予約受付はまだ始まっていません。",
        "Booking for that class hasn't opened yet.",
    ),
    (
        "refuse_booking_restricted",
        "お支払いの確認ができるまで、新しいご予約はお受けできません。",
        "New bookings are paused until your payment is settled.",
    ),
    (
        "refuse_booking_membership",
        "現在のご契約の状態では、このクラスをご予約いただけません。",
        "Your membership doesn't allow booking this class right now.",
    ),
    (
        "refuse_booking_limit",
        "ご予約の上限に達しています。",
        "You've reached your booking limit.",
    ),
    (
        "refuse_booking_overlaps",
        "同じ時間に別のご予約があります。",
        "You have another booking at that time.",
    ),
    (
        "refuse_booking_no_credit",
        "回数券の残りがありません。",
        "You have no punch-card credits left.",
    ),
    (
        "refuse_booking_already",
        "このクラスはすでにご予約（またはキャンセル待ち）済みです。",
        "You're already booked (or waiting) for that class.",
    ),
    (
        "refuse_booking_locked",
        "キャンセルや無断欠席が続いたため、しばらくご予約いただけません。",
        "Booking is locked for a while after repeated late cancels or no-shows.",
    ),
    (
        "refuse_booking_other",
        "このご予約はお受けできません（{detail}）。",
        "That booking can't be made: {detail}.",
    ),
    // Refusals: the rule's reason, then the nearest alternative.
    (
        "refuse_pause_not_allowed",
        "現在のプランでは休会できません。",
        "Your plan does not allow pausing.",
    ),
    (
        "refuse_pause_deadline",
        "{from}からの休会は{deadline}までの申請が必要です。",
        "A pause from {from} had to be requested by {deadline}.",
    ),
    (
        "refuse_pause_too_short",
        "休会は{min}ヶ月以上で承ります。",
        "A pause must last at least {min} months.",
    ),
    (
        "refuse_pause_too_long",
        "休会は最長{max}ヶ月までです。",
        "A pause can last at most {max} months.",
    ),
    (
        "refuse_too_many_pauses",
        "休会は1年に{max}回までです。",
        "You can pause at most {max} times a year.",
    ),
    (
        "refuse_pause_period_start",
        "休会は請求期間の初日（次は{next}）から始まります。",
        "A pause starts on the first day of a billing period (the next is {next}).",
    ),
    (
        "refuse_pause_planned",
        "{from}からの休会がすでに予定されています。",
        "A pause from {from} is already planned.",
    ),
    (
        "refuse_minimum_term",
        "最低利用期間（{last}まで）の途中のため、退会はそれ以降になります。",
        "Your minimum term runs until {last}; the plan does not allow leaving before then.",
    ),
    (
        "refuse_date_past",
        "{date}はすでに過ぎています。",
        "{date} has already passed.",
    ),
    (
        "refuse_after_end",
        "{last}で退会のご予定のため、それより後の日付はお選びいただけません。",
        "Your membership ends after {last}, so a later date can't be chosen.",
    ),
    (
        "refuse_resume_outside",
        "再開日は休会期間（{from}〜{last}）の中からお選びください。",
        "Please choose a resume date within your pause ({from} to {last}).",
    ),
    (
        "refuse_same_plan",
        "すでに{plan}をご利用中です。",
        "You're already on {plan}.",
    ),
    (
        "refuse_status",
        "現在のご契約の状態（{status}）では、このお手続きはできません。",
        "This can't be done while your membership is {status}.",
    ),
    (
        "refuse_other",
        "このお手続きはお受けできません（{detail}）。",
        "This can't be done: {detail}.",
    ),
    (
        "alternative",
        "代わりに、次の内容でしたらお受けできます。",
        "I can do this instead:",
    ),
    // Statuses.
    ("status_new", "未入会", "not a member yet"),
    ("status_pending", "開始前", "starting soon"),
    ("status_trialing", "体験期間中", "in trial"),
    ("status_active", "ご利用中", "active"),
    ("status_paused", "休会中", "paused"),
    ("status_past_due", "お支払い確認中", "payment overdue"),
    ("status_suspended", "利用停止中", "suspended"),
    ("status_pending_cancellation", "退会予定", "ending soon"),
    ("status_cancelled", "退会済み", "cancelled"),
    ("status_expired", "期間満了", "expired"),
];
