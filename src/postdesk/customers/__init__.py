"""Customer accounts: passwordless sign-in, the customer's own cases, data export and erasure."""
