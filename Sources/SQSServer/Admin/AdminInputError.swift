/// A query parameter or form field of an admin request that is not what it must be (a number out
/// of range, say): a 400 with this message, never a trap.
struct AdminInputError: Error, Sendable {
    /// What is wrong, for the page or the JSON answer.
    var message: String
}
