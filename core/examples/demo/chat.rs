//! The member chatbot carrying out a pause, from the request to the command
//! the host executes, with the events it stores.

use memberkit::calendar::date;
use memberkit::chat::{Assistant, ChatConfig, ChatState, Club, Identity, Member, Request, Step};
use memberkit::intent::default_model;
use memberkit::membership::{Catalog, Command, Membership, decide};

/// 「6月から2ヶ月休会したい」 on May 16: identity first, the June start
/// refused by the plan's deadline with July offered instead, the member's
/// correction, the facts, the yes, and the events of the command.
pub fn pause_conversation(plans: &str) -> Result<(), memberkit::Error> {
    let catalog = Catalog::from_json(plans)?;
    let mut member = Member::new(Identity {
        member_number: "1000001".into(),
        email: Some("hanako@example.jp".into()),
        phone: None,
        birth_date: None,
    });
    let join = Command::Join {
        plan: "regular".into(),
        start: date(2026, 3, 1)?,
        trial: false,
    };
    member.membership = decide(&Membership::default(), &catalog, &join, date(2026, 2, 20)?)?;
    let bot = Assistant::new(default_model()?, Club::new(catalog), ChatConfig::default())?;
    let today = date(2026, 5, 16)?;
    let mut state = ChatState::default();
    for message in [
        "6月から2ヶ月休会したい",
        "会員番号1000001です",
        "hanako@example.jp",
        "いいえ、8月からでお願いします",
        "はい",
    ] {
        let reply = bot.turn(&state, message, today, |number| {
            (number == member.identity.member_number).then(|| member.clone())
        });
        println!("   member: {message}");
        for (i, line) in reply.text.lines().enumerate() {
            println!("   {}{line}", if i == 0 { "bot:    " } else { "        " });
        }
        if let Step::Confirmed {
            command: Request::Membership(command),
            version,
            ..
        } = &reply.step
        {
            // The host executes the command on the state it stores, checking the version.
            let current = member.state();
            assert_eq!(current.version, *version);
            let events = decide(&current, &bot.club().catalog, command, today)?;
            println!(
                "   host executes {} and stores:",
                memberkit::json::to_json(command)
            );
            for event in &events {
                println!("      {}", memberkit::json::to_json(event));
            }
            member.membership.extend(events);
        }
        state = reply.state;
    }
    println!("   stored conversation: {}", state.to_json());
    Ok(())
}
