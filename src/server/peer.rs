//! Who is on the other end of a socket, as the operating system says (peer credentials), and
//! the names of accounts. No passwords of our own: the account is the login.

use std::os::unix::net::UnixStream;

/// The process at the other end of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    /// Its account's name (`uid1234` when the system has no name for it).
    pub account: String,
    /// Its process id.
    pub pid: u32,
    /// Its user id.
    pub uid: u32,
}

/// Reads the peer's credentials from the socket.
pub fn peer(stream: &UnixStream) -> std::io::Result<Peer> {
    let cred = rustix::net::sockopt::socket_peercred(stream)?;
    let uid = cred.uid.as_raw();
    Ok(Peer {
        account: account_name(uid),
        pid: u32::try_from(cred.pid.as_raw_nonzero().get()).unwrap_or(0),
        uid,
    })
}

/// The name of the account with user id `uid`.
pub fn account_name(uid: u32) -> String {
    match nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid)) {
        Ok(Some(user)) => user.name,
        _ => format!("uid{uid}"),
    }
}

/// The account this process runs under.
pub fn own_account() -> String {
    account_name(rustix::process::getuid().as_raw())
}

/// Whether the system knows an account by this name (`None` when it cannot say).
pub fn account_exists(name: &str) -> Option<bool> {
    nix::unistd::User::from_name(name).ok().map(|u| u.is_some())
}
