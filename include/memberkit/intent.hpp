// memberkit C++17 wrapper: the members' chatbot's intent models, slots,
// masking and router. Part of memberkit.hpp; include that.
#ifndef MEMBERKIT_INTENT_HPP
#define MEMBERKIT_INTENT_HPP

#include "error.hpp"

#include <vector>

namespace memberkit::intent {

/// What a text asks for: the intent id ("oos" for out of scope) and its
/// calibrated confidence, 0 to 1.
struct Classification {
    std::string intent;
    float confidence;
};

/// An intent model. Immutable: its const methods may be called from many
/// threads at once.
class Model {
public:
    /// Takes ownership of a handle from mk_intent_model_default, mk_intent_train or mk_intent_model_from_bytes.
    explicit Model(MkIntentModel *owned) noexcept : handle_(owned) {}

    /// Classifies `text`: scalars in and out, no JSON.
    [[nodiscard]] Classification classify(StringArg text) const {
        const char *intent = nullptr;
        float confidence = 0;
        detail::check(mk_intent_classify(get(), text.c_str(), &intent, &confidence));
        return Classification{intent, confidence};
    }

    /// The model's compact binary form, for intent::from_bytes.
    [[nodiscard]] std::vector<std::uint8_t> to_bytes() const {
        std::uint8_t *raw = nullptr;
        std::size_t len = 0;
        detail::check(mk_intent_model_to_bytes(get(), &raw, &len));
        struct Free {
            std::size_t len;
            void operator()(std::uint8_t *bytes) const noexcept { mk_bytes_free(bytes, len); }
        };
        std::unique_ptr<std::uint8_t, Free> owned(raw, Free{len});
        return std::vector<std::uint8_t>(owned.get(), owned.get() + len);
    }

    const MkIntentModel *get() const noexcept { return handle_.get(); }

private:
    detail::Handle<MkIntentModel, mk_intent_model_free> handle_;
};

/// The shipped bilingual (Japanese/English) membership-inquiry model.
[[nodiscard]] inline Model default_model() {
    MkIntentModel *raw = nullptr;
    detail::check(mk_intent_model_default(&raw));
    return Model(raw);
}

/// A model trained on `examples_json` (`[{"intent": ..., "text": ...}]`,
/// intent "oos" for out of scope) with `config_json` (nullptr or "{}" for the defaults).
[[nodiscard]] inline Model train(StringArg examples_json, StringArg config_json = nullptr) {
    MkIntentModel *raw = nullptr;
    detail::check(mk_intent_train(examples_json.c_str(), config_json.c_str(), &raw));
    return Model(raw);
}

/// A model read back from Model::to_bytes; corrupt bytes are MK_STATUS_INVALID_MODEL.
[[nodiscard]] inline Model from_bytes(const std::uint8_t *bytes, std::size_t len) {
    MkIntentModel *raw = nullptr;
    detail::check(mk_intent_model_from_bytes(bytes, len, &raw));
    return Model(raw);
}
[[nodiscard]] inline Model from_bytes(const std::vector<std::uint8_t> &bytes) {
    return from_bytes(bytes.data(), bytes.size());
}

/// The slots found in `text` (member number, email, phone, dates relative to
/// `today`, times, amounts) as a JSON array.
[[nodiscard]] inline std::string extract_slots(StringArg text, MkDate today) {
    char *raw = nullptr;
    detail::check(mk_intent_extract_slots(text.c_str(), today, &raw));
    return detail::take(raw);
}

/// `text` with emails, phone numbers and member numbers masked, for logs.
[[nodiscard]] inline std::string mask(StringArg text) {
    char *raw = nullptr;
    detail::check(mk_intent_mask(text.c_str(), &raw));
    return detail::take(raw);
}

/// A router: a copy of a model, slot extraction and routing rules.
/// Immutable: route() may be called from many threads at once.
class Router {
public:
    /// A router over a copy of `model` (which may go at once) with
    /// `config_json` (nullptr or "{}" for the defaults).
    explicit Router(const Model &model, StringArg config_json = nullptr) {
        MkRouter *raw = nullptr;
        detail::check(mk_router_new(model.get(), config_json.c_str(), &raw));
        handle_.reset(raw);
    }
    /// Takes ownership of a handle from mk_router_new.
    explicit Router(MkRouter *owned) noexcept : handle_(owned) {}

    /// The decision for `message` (JSON: intent, confidence, slots, action,
    /// and the `conversation` to keep), in the conversation
    /// `conversation_json` (nullptr or "" for a new one).
    [[nodiscard]] std::string route(StringArg conversation_json, StringArg message, bool verified, MkDate today) const {
        char *raw = nullptr;
        detail::check(mk_router_route(get(), conversation_json.c_str(), message.c_str(), verified, today, &raw));
        return detail::take(raw);
    }

    const MkRouter *get() const noexcept { return handle_.get(); }

private:
    detail::Handle<MkRouter, mk_router_free> handle_;
};

} // namespace memberkit::intent

#endif
