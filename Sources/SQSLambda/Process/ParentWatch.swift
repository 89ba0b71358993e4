import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Makes a function process's group die with sqslite, even when sqslite is killed outright
/// (SIGKILL) and has no chance to stop it.
///
/// Each process starts through `/bin/sh` (``script``) with the read end of a pipe as its standard
/// input; sqslite keeps the only write end (no child inherits it). The shell moves the pipe to
/// descriptor 3, leaves one watcher in the process group, a subshell blocked in `read` on the pipe
/// that sends SIGKILL to the group when `read` returns, and `exec`s `/usr/bin/env` with the
/// function's command and `/dev/null` as its standard input (as before). A pipe's `read` returns
/// only once every write end is closed: when sqslite calls ``close()`` after the process ended (so
/// whatever it left in its group goes too), or when the kernel closes it because sqslite died.
///
/// The function process keeps the pid it was started with, so `$$` in the script is its pid, and
/// the watcher kills the group with that id (`kill -- -$$`): the group the process leads, never
/// sqslite's own, even were the process not given a group of its own. `env` looks the command up
/// on the function's `PATH` (exit status 127 when it cannot find it).
///
/// ## Sendable
/// The write end is behind a `Mutex`, so it is closed once.
final class ParentWatch: Sendable {
    /// The shell script; `$@` is the function's command.
    static let script = """
        exec 3<&0 </dev/null
        (read _ <&3; kill -s KILL -- -$$) >/dev/null 2>&1 &
        exec 3<&-
        exec /usr/bin/env "$@"
        """

    /// The read end, for the process's standard input (closed here once the process has it).
    let readEnd: FileDescriptor
    private let writeEnd: Mutex<Int32?>

    /// Opens the pipe.
    init() throws(Errno) {
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { throw Errno(rawValue: errno) }
        // Close-on-exec (swift-subprocess also closes every descriptor above 2 in the processes it starts).
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        readEnd = FileDescriptor(rawValue: descriptors[0])
        writeEnd = Mutex(descriptors[1])
    }

    /// `/bin/sh`'s arguments that run `command` under the watch.
    static func arguments(for command: [String]) -> [String] {
        ["-c", script, "sqslite-function"] + command
    }

    /// Closes the write end: the watcher, if still running, kills what is left of the group.
    func close() {
        guard let descriptor = writeEnd.withLock({ $0.take() }) else { return }
        try? FileDescriptor(rawValue: descriptor).close()
    }

    deinit {
        close()
    }
}
