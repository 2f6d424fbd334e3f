//! Work run off the async threads (`tokio::task::spawn_blocking`).

use tokio::task::JoinError;

/// What became of a blocking task that did not finish, without its panic message. A
/// `JoinError` shows the message ("task 3 panicked with message …"), and a message can hold
/// what the task was working on: an article's text, a resident's message. Like the panic hook
/// in `main`, which logs only where a panic happened, errors and logs name only what failed.
pub fn stopped(err: &JoinError) -> &'static str {
    if err.is_panic() {
        "a worker thread panicked"
    } else {
        "a worker thread was cancelled"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_is_named_without_its_message() {
        let err = tokio::task::spawn_blocking(|| panic!("Jan de Vries, Kerkstraat 5"))
            .await
            .expect_err("it panicked");
        assert!(err.to_string().contains("Kerkstraat"), "tokio shows it");
        assert_eq!(stopped(&err), "a worker thread panicked");
    }
}
