import Foundation
import Testing
import ZIPFoundation

@testable import SQSLambda

/// Unpacking deployment packages: what a normal zip gives, and what hostile ones are refused for.
@Suite("Code archives")
struct CodeArchiveTests {
    private func makeZip(_ build: (Archive) throws -> Void) throws -> Data {
        let archive = try Archive(accessMode: .create)
        try build(archive)
        return try #require(archive.data)
    }

    private func addFile(_ archive: Archive, _ path: String, _ text: String, permissions: UInt16 = 0o644) throws {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), permissions: permissions, compressionMethod: .deflate) {
            position, size in data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    private func addLink(_ archive: Archive, _ path: String, target: String) throws {
        let data = Data(target.utf8)
        try archive.addEntry(with: path, type: .symlink, uncompressedSize: Int64(data.count)) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    private func folder() -> String {
        FileManager.default.temporaryDirectory.path + "/code-archive-tests-" + UUID().uuidString
    }

    @Test func unpacksFilesFoldersModesAndContainedLinks() throws {
        let zip = try makeZip { archive in
            try addFile(archive, "app.py", "def handler(e, c): pass\n")
            try addFile(archive, "bootstrap", "#!/bin/sh\n", permissions: 0o4777)
            try addFile(archive, "lib/libfoo.so.1", "binary")
            try addLink(archive, "lib/libfoo.so", target: "libfoo.so.1")
        }
        let target = folder()
        defer { try? FileManager.default.removeItem(atPath: target) }
        let code = CodeArchive(bytes: zip)
        let size = try code.unpack(into: target)
        #expect(size == 24 + 10 + 6)
        #expect(try String(contentsOfFile: target + "/lib/libfoo.so", encoding: .utf8) == "binary")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: target + "/bootstrap")[.posixPermissions] as? Int)
        #expect(mode == 0o755)  // executable kept, set-id bits and group/world write dropped
        #expect(code.size == zip.count)
        #expect(code.sha256Base64.count == 44 && code.sha256Hex.count == 64)
    }

    @Test(arguments: ["../evil.py", "a/../../evil.py", "/tmp/evil.py"])
    func refusesEntriesOutsideTheFolder(path: String) throws {
        let zip = try makeZip { try addFile($0, path, "print('pwned')") }
        let target = folder()
        #expect(throws: CodeArchive.Problem.self) { try CodeArchive(bytes: zip).unpack(into: target) }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test(arguments: ["/etc", "../outside", "a/../../x"])
    func refusesLinksThatCouldLeadOut(target link: String) throws {
        let zip = try makeZip { try addLink($0, "link", target: link) }
        let target = folder()
        #expect(throws: CodeArchive.Problem.self) { try CodeArchive(bytes: zip).unpack(into: target) }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func refusesTooMuchUnzippedDataAndTooManyEntries() throws {
        let zip = try makeZip { archive in
            try addFile(archive, "a.txt", String(repeating: "a", count: 600))
            try addFile(archive, "b.txt", String(repeating: "b", count: 600))
        }
        #expect(throws: CodeArchive.Problem.tooLarge) { try CodeArchive(bytes: zip).unpack(into: folder(), maxSize: 1000) }
        #expect(throws: CodeArchive.Problem.self) { try CodeArchive(bytes: zip).unpack(into: folder(), maxEntries: 1) }
        #expect(throws: CodeArchive.Problem.notAZip("not a zip file")) { try CodeArchive(bytes: Data("nope".utf8)).unpack(into: folder()) }
    }

    @Test func safePathsDropDotsAndRefuseClimbing() throws {
        #expect(try CodeArchive.safePath("./a//b/./c") == "a/b/c")
        #expect(throws: CodeArchive.Problem.self) { try CodeArchive.safePath("a/../..") }
        #expect(CodeArchive.isSafeLinkTarget("sub/dir/file"))
        #expect(!CodeArchive.isSafeLinkTarget("sub/../../x"))
        #expect(!CodeArchive.isSafeLinkTarget("/abs"))
    }
}
