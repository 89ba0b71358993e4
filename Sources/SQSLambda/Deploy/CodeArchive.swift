import Crypto
import Foundation
import ZIPFoundation

/// A function's deployment package (`Code.ZipFile`): its digest as Lambda reports it, and a safe
/// unpacking into a folder.
///
/// Unpacking refuses, with AWS's "Could not unzip uploaded file" error and the reason:
/// - entries whose path is absolute or climbs out with `..` (zip slip), or repeats an entry;
/// - symbolic links that are absolute or contain `..`: a link may only point down into the folder
///   it sits in, so no chain of links leads out, and no file is written through one outside;
/// - more than ``LambdaAPILimits/archiveEntries`` entries;
/// - more than ``LambdaAPILimits/unzippedCodeSize`` bytes once unzipped ("Unzipped size must be
///   smaller than …"), counted both from the sizes the zip declares and from the bytes really
///   inflated, so a zip whose headers lie stops at the limit too.
///
/// File modes come from the zip (an executable `bootstrap` stays executable), without set-id bits
/// and without group or world write.
struct CodeArchive: Sendable {
    /// Why a zip cannot be used.
    enum Problem: Error, Equatable {
        case notAZip(String)
        case tooLarge
        case storage(String)
    }

    /// The zip's bytes.
    let bytes: Data

    /// `CodeSha256`: the SHA-256 of the zip, base64.
    var sha256Base64: String { Data(SHA256.hash(data: bytes)).base64EncodedString() }

    /// The SHA-256 of the zip in hex (the code folder's name).
    var sha256Hex: String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

    /// `CodeSize`.
    var size: Int { bytes.count }

    /// Unpacks the zip into `folder` (created; it must not exist). On failure the folder is removed.
    /// - Returns: The unzipped size in bytes.
    func unpack(into folder: String, maxSize: Int = LambdaAPILimits.unzippedCodeSize, maxEntries: Int = LambdaAPILimits.archiveEntries)
        throws(Problem) -> Int
    {
        let archive: Archive
        do {
            archive = try Archive(data: bytes, accessMode: .read)
        } catch {
            throw .notAZip("not a zip file")
        }
        let entries = Array(archive)
        guard entries.count <= maxEntries else { throw .notAZip("more than \(maxEntries) entries") }
        let declared = entries.reduce(UInt64(0)) { $0 &+ $1.uncompressedSize }
        guard declared <= UInt64(maxSize) else { throw .tooLarge }
        let fileManager = FileManager.default
        do {
            try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .storage("cannot create \(folder): \(error)")
        }
        do {
            var written = 0
            var seen: Set<String> = []
            for entry in entries {
                let relative = try Self.safePath(entry.path)
                guard !relative.isEmpty else { continue }
                guard seen.insert(relative).inserted else { throw Problem.notAZip("the entry \(relative) appears twice") }
                let path = folder + "/" + relative
                switch entry.type {
                case .directory:
                    try Self.makeDirectory(path)
                case .symlink:
                    var target = Data()
                    _ = try archive.extract(entry, skipCRC32: true) { target.append($0) }
                    guard let link = String(data: target, encoding: .utf8), Self.isSafeLinkTarget(link) else {
                        throw Problem.notAZip("the link \(relative) points outside its folder")
                    }
                    try Self.makeDirectory((path as NSString).deletingLastPathComponent)
                    try fileManager.createSymbolicLink(atPath: path, withDestinationPath: link)
                case .file:
                    try Self.makeDirectory((path as NSString).deletingLastPathComponent)
                    guard fileManager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: Self.mode(of: entry)]) else {
                        throw Problem.storage("cannot create \(relative)")
                    }
                    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                    defer { try? handle.close() }
                    _ = try archive.extract(entry) { chunk in
                        written += chunk.count
                        guard written <= maxSize else { throw Problem.tooLarge }
                        try handle.write(contentsOf: chunk)
                    }
                }
            }
            return written
        } catch {
            try? fileManager.removeItem(atPath: folder)
            if let problem = error as? Problem { throw problem }
            if error is CocoaError || error is POSIXError {
                throw .storage("\(error)")
            }
            throw .notAZip("\(error)")
        }
    }

    /// The entry's path relative to the folder, or a refusal when it leaves the folder.
    static func safePath(_ path: String) throws(Problem) -> String {
        guard !path.hasPrefix("/"), !path.contains("\0") else { throw .notAZip("the entry \(path) has an absolute path") }
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            if component == "." { continue }
            guard component != ".." else { throw .notAZip("the entry \(path) points outside the function's folder") }
            components.append(component)
        }
        return components.joined(separator: "/")
    }

    /// A link target that stays below the link's own folder: relative, without `..`.
    static func isSafeLinkTarget(_ target: String) -> Bool {
        !target.isEmpty && !target.hasPrefix("/") && !target.contains("\0")
            && !target.split(separator: "/", omittingEmptySubsequences: true).contains("..")
    }

    private static func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    }

    /// The zip's mode bits, owner read-write at least, no set-id bits, no group or world write.
    private static func mode(of entry: Entry) -> Int {
        let stored = (entry.fileAttributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o644
        return (stored & 0o755) | 0o600
    }
}
