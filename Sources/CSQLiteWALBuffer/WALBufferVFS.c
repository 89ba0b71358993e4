// A VFS over SQLite's default one that coalesces the appends a transaction makes to its
// write-ahead log.
//
// SQLite writes each WAL frame as two writes (the 24-byte frame header, then the page), so a
// commit of 3 pages costs 6 `pwrite`s, each a full trip through the kernel's buffered-write path.
// This VFS keeps a WAL's contiguous appends in memory and writes them as one `pwrite`:
//
// - when the page of a commit frame has been appended (a frame header whose "database size"
//   field is not zero marks the last frame of a transaction). That happens inside
//   `sqlite3WalFrames`, before SQLite publishes the new frames in the WAL index, so no reader
//   (another connection of this process or of another one) can see a frame that is not in the file;
// - before anything that reads or inspects the file (read, size, truncate, sync, file control),
//   before a write that is not the next append, and before the buffer (124 KiB) would overflow.
//
// So a commit is in the file (the operating system's page cache) when `COMMIT` returns, as before:
// what `synchronous = NORMAL` and `FULL` promise is unchanged. A write error (a full disk) is
// returned by the write that flushes: the commit frame's page write, so the commit fails. Every
// other file (the database, journals) is the underlying VFS's own file.
//
// The underlying VFS is SQLite's "unix-excl" where it exists (else the default): the first
// connection to read a database takes one exclusive lock on it for the whole process, and the
// connections of this process (the writer, the reader, the checkpointer) then coordinate in
// memory, with the WAL index on the heap instead of a `-shm` file. A commit took six `fcntl`
// calls on the `-shm` file with the default VFS (read mark, read lock, write lock, each taken and
// released), about 1.2 per SendMessage at 16 connections; it takes none now. Another process
// (a second sqslite on the same data folder, the `sqlite3` shell) cannot open the database while
// sqslite has it open: it waits its busy timeout, then gets SQLITE_BUSY.
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "CSQLiteWALBuffer.h"

/// Appends held at most, in bytes: a transaction larger than this is written in several pieces.
/// Below 128 KiB because the default VFS writes at most 131,071 bytes per call (its `seekAndWrite`
/// masks the count to 17 bits), and a count it masks to 0 would fail as a full disk.
enum { WAL_BUFFER_LIMIT = 124 * 1024 };
/// The size of a WAL frame header and of the WAL header.
enum { WAL_FRAME_HEADER = 24, WAL_HEADER = 32 };

typedef struct WALBufferFile {
    sqlite3_file base;
    /// The default VFS's file, stored right after this struct.
    sqlite3_file *real;
    unsigned char *bytes;
    /// The file offset of `bytes[0]`.
    sqlite3_int64 start;
    int length;
    /// The last append was a commit frame's header: flush after its page.
    int flushAfterNextWrite;
} WALBufferFile;

static sqlite3_vfs *defaultVFS;
static sqlite3_vfs bufferVFS;

static int flush(WALBufferFile *file) {
    if (file->length == 0) return SQLITE_OK;
    int length = file->length;
    file->length = 0;
    file->flushAfterNextWrite = 0;
    return file->real->pMethods->xWrite(file->real, file->bytes, length, file->start);
}

/// Allocates the buffer on the first append (only a connection that writes needs one); returns 0
/// when it cannot (the caller then writes directly).
static int reserve(WALBufferFile *file) {
    if (file->bytes != NULL) return 1;
    file->bytes = malloc(WAL_BUFFER_LIMIT);
    return file->bytes != NULL;
}

static int walWrite(sqlite3_file *handle, const void *data, int amount, sqlite3_int64 offset) {
    WALBufferFile *file = (WALBufferFile *)handle;
    const unsigned char *header = data;
    int isCommitHeader = amount == WAL_FRAME_HEADER && offset >= WAL_HEADER
        && (header[4] | header[5] | header[6] | header[7]) != 0;
    // Taken before any flush below clears it: this write is the commit frame's page.
    int endsCommit = file->flushAfterNextWrite;
    int code;
    if (file->length > 0 && (offset != file->start + file->length || file->length + amount > WAL_BUFFER_LIMIT)) {
        if ((code = flush(file)) != SQLITE_OK) return code;
    }
    if (amount > WAL_BUFFER_LIMIT || !reserve(file)) {
        if ((code = flush(file)) != SQLITE_OK) return code;
        code = file->real->pMethods->xWrite(file->real, data, amount, offset);
        file->flushAfterNextWrite = code == SQLITE_OK && isCommitHeader;
        return code;
    }
    if (file->length == 0) file->start = offset;
    memcpy(file->bytes + file->length, data, (size_t)amount);
    file->length += amount;
    if (endsCommit) return flush(file);
    file->flushAfterNextWrite = isCommitHeader;
    return SQLITE_OK;
}

static int walClose(sqlite3_file *handle) {
    WALBufferFile *file = (WALBufferFile *)handle;
    int code = flush(file);
    int closed = file->real->pMethods->xClose(file->real);
    free(file->bytes);
    file->bytes = NULL;
    return code != SQLITE_OK ? code : closed;
}

static int walRead(sqlite3_file *handle, void *data, int amount, sqlite3_int64 offset) {
    WALBufferFile *file = (WALBufferFile *)handle;
    int code = flush(file);
    return code != SQLITE_OK ? code : file->real->pMethods->xRead(file->real, data, amount, offset);
}

static int walTruncate(sqlite3_file *handle, sqlite3_int64 size) {
    WALBufferFile *file = (WALBufferFile *)handle;
    int code = flush(file);
    return code != SQLITE_OK ? code : file->real->pMethods->xTruncate(file->real, size);
}

static int walSync(sqlite3_file *handle, int flags) {
    WALBufferFile *file = (WALBufferFile *)handle;
    int code = flush(file);
    return code != SQLITE_OK ? code : file->real->pMethods->xSync(file->real, flags);
}

static int walFileSize(sqlite3_file *handle, sqlite3_int64 *size) {
    WALBufferFile *file = (WALBufferFile *)handle;
    int code = flush(file);
    return code != SQLITE_OK ? code : file->real->pMethods->xFileSize(file->real, size);
}

static int walFileControl(sqlite3_file *handle, int operation, void *argument) {
    WALBufferFile *file = (WALBufferFile *)handle;
    int code = flush(file);
    return code != SQLITE_OK ? code : file->real->pMethods->xFileControl(file->real, operation, argument);
}

static int walLock(sqlite3_file *handle, int level) {
    WALBufferFile *file = (WALBufferFile *)handle;
    return file->real->pMethods->xLock(file->real, level);
}

static int walUnlock(sqlite3_file *handle, int level) {
    WALBufferFile *file = (WALBufferFile *)handle;
    return file->real->pMethods->xUnlock(file->real, level);
}

static int walCheckReservedLock(sqlite3_file *handle, int *reserved) {
    WALBufferFile *file = (WALBufferFile *)handle;
    return file->real->pMethods->xCheckReservedLock(file->real, reserved);
}

static int walSectorSize(sqlite3_file *handle) {
    WALBufferFile *file = (WALBufferFile *)handle;
    return file->real->pMethods->xSectorSize(file->real);
}

static int walDeviceCharacteristics(sqlite3_file *handle) {
    WALBufferFile *file = (WALBufferFile *)handle;
    return file->real->pMethods->xDeviceCharacteristics(file->real);
}

/// Version 1: SQLite maps and locks shared memory through the database file, never the WAL.
static const sqlite3_io_methods walMethods = {
    1, walClose, walRead, walWrite, walTruncate, walSync, walFileSize, walLock, walUnlock,
    walCheckReservedLock, walFileControl, walSectorSize, walDeviceCharacteristics,
    NULL, NULL, NULL, NULL, NULL, NULL,
};

static int openFile(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *handle, int flags, int *outFlags) {
    (void)vfs;
    if ((flags & SQLITE_OPEN_WAL) == 0) {
        // Any other file is the default VFS's, in place (this VFS's szOsFile is larger than its).
        return defaultVFS->xOpen(defaultVFS, name, handle, flags, outFlags);
    }
    WALBufferFile *file = (WALBufferFile *)handle;
    memset(file, 0, sizeof(*file));
    file->real = (sqlite3_file *)&file[1];
    int code = defaultVFS->xOpen(defaultVFS, name, file->real, flags, outFlags);
    file->base.pMethods = code == SQLITE_OK ? &walMethods : NULL;
    return code;
}

static int registerVFS(void) {
    // The name matters: the unix VFS turns on its process-wide lock when opened as "unix-excl".
    defaultVFS = sqlite3_vfs_find("unix-excl");
    if (defaultVFS == NULL) defaultVFS = sqlite3_vfs_find(NULL);
    if (defaultVFS == NULL) return SQLITE_ERROR;
    bufferVFS = *defaultVFS;
    bufferVFS.pNext = NULL;
    bufferVFS.zName = CSQLITE_WAL_BUFFER_VFS;
    bufferVFS.szOsFile = (int)sizeof(WALBufferFile) + defaultVFS->szOsFile;
    bufferVFS.xOpen = openFile;
    return sqlite3_vfs_register(&bufferVFS, 0);
}

int csqlite_wal_buffer_register(void) {
    static int result = -1;
    // Called from one Swift `static let` initializer, which runs once with other threads waiting.
    if (result == -1) result = registerVFS();
    return result;
}
