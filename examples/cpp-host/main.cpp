// A C++ host of memberkit: a club's back office in miniature. It loads the
// plan catalog from a file, signs a member up, bills the first invoices,
// refuses a command the rules do not allow, and reads a member's message.
//
// The host keeps memberkit's JSON (events, states, ledgers) in its own
// database; a std::map stands in for it here. To show a few values, it
// reads memberkit's compact JSON with two small helpers, to stay free of
// dependencies: a real host would use its JSON library.
#include <memberkit.hpp>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace mk = memberkit;
using mk::calendar::date;

namespace {

// The end of the JSON value that starts at json[at].
std::size_t value_end(const std::string &json, std::size_t at) {
    if (json[at] == '"') {
        for (++at; at < json.size() && json[at] != '"'; ++at) {
            if (json[at] == '\\') ++at;
        }
        return at + 1;
    }
    for (int depth = 0; at < json.size(); ++at) {
        char c = json[at];
        if (c == '"') {
            at = value_end(json, at) - 1;
        } else if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || c == ']') {
            if (depth == 0) return at;
            if (--depth == 0) return at + 1;
        } else if (c == ',' && depth == 0) {
            return at;
        }
    }
    return at;
}

// The values of a JSON array, or of an object's members (each "key":value), as text.
std::vector<std::string> items(const std::string &json) {
    std::vector<std::string> out;
    for (std::size_t at = 1; at < json.size() && json[at] != ']' && json[at] != '}';) {
        std::size_t end = value_end(json, at);
        if (json[end] == ':') end = value_end(json, end + 1);
        out.push_back(json.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

// The value of `key` in a JSON object, as text ("" when it has none); strings unquoted.
std::string field(const std::string &object, const std::string &key) {
    std::string name = "\"" + key + "\":";
    for (const std::string &member : items(object)) {
        if (member.compare(0, name.size(), name) != 0) continue;
        std::string value = member.substr(name.size());
        return value.size() >= 2 && value.front() == '"' ? value.substr(1, value.size() - 2) : value;
    }
    return "";
}

struct Member {
    std::string events; // the membership's events (a JSON array)
    std::string state;  // the membership, as membership::apply wrote it ("" before the first event)
    std::string ledger; // the billing account, as the last run returned it ("" before the first run)
};

// `events` with the JSON array `more` appended.
std::string append(const std::string &events, const std::string &more) {
    if (events.empty() || events == "[]") return more;
    if (more == "[]") return events;
    return events.substr(0, events.size() - 1) + "," + more.substr(1);
}

} // namespace

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "catalog.json";
    std::ifstream file(path);
    if (!file) {
        std::cerr << "cannot read " << path << "\n";
        return 2;
    }
    std::stringstream plans;
    plans << file.rdbuf();

    try {
        std::cout << "memberkit " << mk::version() << "\n";
        const mk::membership::Catalog catalog(plans.str());
        const mk::billing::Config billing(R"({"collection": {"kind": "debit_day", "day": 27}})");
        std::map<std::string, Member> database;

        // A member joins on April 20: the decider's events are stored, and applied.
        Member &member = database["M-0001"];
        std::string joined = catalog.decide(member.state, R"({"type": "join", "plan": "regular", "start": "2026-04-20"})",
                                            date(2026, 4, 20));
        member.events = append(member.events, joined);
        member.state = mk::membership::apply(member.state, joined);
        std::string view = catalog.view(member.state, date(2026, 4, 20));
        std::cout << "M-0001 joined " << field(view, "plan") << ": " << field(view, "status") << ", renews "
                  << field(view, "next_renewal") << "\n";

        // The billing run of May 1: April 20-30 prorated, then May in full.
        std::string run = mk::billing::bill(catalog, billing, member.ledger, "M-0001", member.events, date(2026, 5, 1));
        member.ledger = field(run, "account");
        for (const std::string &document : items(field(run, "documents"))) {
            MkMoney total = mk::money::round(field(field(document, "total"), "amount"), mk::money::currency("JPY"),
                                             MK_ROUNDING_FLOOR);
            std::cout << "invoice " << field(document, "id") << ": " << mk::money::to_string(total) << ", debited "
                      << field(document, "collection_date") << "\n";
        }
        std::string again = mk::billing::bill(catalog, billing, member.ledger, "M-0001", member.events, date(2026, 5, 1));
        std::cout << "billing May 1 again: " << items(field(again, "documents")).size() << " new documents\n";

        // A command the membership's status does not allow is refused; nothing changes.
        try {
            (void)catalog.decide(member.state, R"({"type": "resume", "on": "2026-05-02"})", date(2026, 5, 2));
            std::cout << "resume accepted\n";
        } catch (const mk::Error &e) {
            std::cout << "resume refused: " << e.status_name() << " (" << e.code() << "): " << e.what() << "\n";
        }

        // A member writes in: what do they want? The log gets the text masked.
        const mk::intent::Model model = mk::intent::default_model();
        const std::string message = "会員番号1000001です。来月から休会したいのですが";
        mk::intent::Classification asked = model.classify(message);
        std::cout << "message \"" << mk::intent::mask(message) << "\": " << asked.intent
                  << (asked.confidence >= 0.5f ? "" : " (unsure)") << "\n";
    } catch (const mk::Error &e) {
        std::cerr << "memberkit: " << e.status_name() << ": " << e.what() << "\n";
        return 1;
    }
    return 0;
}
