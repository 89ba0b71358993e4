import FoundationEssentials
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
// `struct stat` is owned by whichever module first loaded <sys/stat.h>; with swift-crypto and
// ZIPFoundation in the build that can be CoreFoundation, whose members must then be imported too.
#if canImport(CoreFoundation)
import CoreFoundation
#endif

/// What is checked before sqslite creates anything on disk, each failure one plain sentence with
/// its fix: the port is free, the data folder can be made and written, and every process
/// function's folder and command exist.
enum StartupChecks {
    /// The sentence for a port another process holds.
    static func portInUse(_ port: Int) -> String {
        "port \(port) is in use (another sqslite?); use --port N, or --port 0 for a free one"
    }

    /// Fails when `port` cannot be bound on `host` (an IP literal; host names are left to the
    /// server's own bind). Port `0` always can.
    static func checkPort(host: String, port: Int) throws(StartupError) {
        guard port != 0, let address = try? SocketAddress(ipAddress: host, port: port) else { return }
        #if canImport(Glibc)
        let socketType = Int32(SOCK_STREAM.rawValue)
        #else
        let socketType = SOCK_STREAM
        #endif
        let descriptor = socket(address.protocol.rawValue, socketType, 0)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        var one: Int32 = 1
        _ = setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let status = address.withSockAddr { pointer, size in bind(descriptor, pointer, socklen_t(size)) }
        guard status != 0 else { return }
        throw StartupError(bindFailure(errno: errno, host: host, port: port))
    }

    /// The sentence for a failed bind.
    static func bindFailure(errno code: Int32, host: String, port: Int) -> String {
        switch code {
        case EADDRINUSE:
            portInUse(port)
        case EACCES, EPERM:
            "port \(port) needs privileges on this machine (ports below 1024 usually do); use --port with a port above 1023"
        case EADDRNOTAVAIL:
            "cannot listen on \(host): it is not an address of this machine; use --host 127.0.0.1, or 0.0.0.0 for every interface"
        case EAFNOSUPPORT:
            "cannot listen on \(host): this machine has no IPv6; use --host 127.0.0.1"
        default:
            "cannot listen on \(host):\(port): \(String(cString: strerror(code)))"
        }
    }

    /// The sentence for a database another process has open (SQLite's busy timeout passed): each
    /// sqslite holds its database alone while it runs.
    static func databaseInUse(path: String, dataDirectory: String) -> String {
        "the database \(path) is in use by another process (another sqslite with --data-dir \(dataDirectory)?); "
            + "stop it, or use another --data-dir"
    }

    /// Creates the data folder (and its parents) if needed and checks that it can be written.
    static func prepareDataFolder(_ path: String) throws(StartupError) {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if access(current, F_OK) == 0 {
                guard isDirectory(current) else {
                    throw StartupError("cannot create the data folder \(path): \(current) is a file, not a folder; use --data-dir with another path")
                }
                continue
            }
            if mkdir(current, 0o755) != 0, errno != EEXIST {
                throw StartupError(folderFailure(errno: errno, path: path))
            }
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw StartupError(
                "cannot write in the data folder \(path) (running as uid \(getuid())); make it writable by this user, use --data-dir with another folder, or --in-memory"
            )
        }
    }

    private static func folderFailure(errno code: Int32, path: String) -> String {
        switch code {
        case EACCES, EPERM:
            "cannot create the data folder \(path): permission denied (running as uid \(getuid())); use --data-dir with a folder you can write, or --in-memory"
        case EROFS:
            "cannot create the data folder \(path): the file system is read-only; use --data-dir with a writable folder, or --in-memory"
        case ENOSPC:
            "cannot create the data folder \(path): the disk is full"
        default:
            "cannot create the data folder \(path): \(String(cString: strerror(code)))"
        }
    }

    /// Fails, naming the config file's line, when a process function's working directory does not
    /// exist or its command is not found (on the function's PATH, as `env` will look it up).
    static func checkFunction(
        name: String, command: [String]?, workingDirectory: String?, environment: [String: String], location: String
    ) throws(StartupError) {
        if let workingDirectory {
            guard isDirectory(workingDirectory) else {
                throw StartupError("\(location): functions[\(name)].workingDirectory: the folder \(workingDirectory) does not exist")
            }
        }
        guard let program = command?.first, !program.isEmpty else { return }
        if program.contains("/") {
            let full = program.hasPrefix("/") ? program : (workingDirectory ?? ".") + "/" + program
            guard access(full, X_OK) == 0 else {
                throw StartupError("\(location): functions[\(name)].command: \(full) does not exist or is not executable")
            }
            return
        }
        let searchPath = environment["PATH"] ?? getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for folder in searchPath.split(separator: ":") where access("\(folder)/\(program)", X_OK) == 0 {
            return
        }
        throw StartupError("\(location): functions[\(name)].command: \(program) is not on PATH (\(searchPath)); install it or give its full path")
    }

    /// Whether `path` is a folder (or a link to one): only a folder has a `.` entry.
    private static func isDirectory(_ path: String) -> Bool {
        access(path + "/.", F_OK) == 0
    }
}
