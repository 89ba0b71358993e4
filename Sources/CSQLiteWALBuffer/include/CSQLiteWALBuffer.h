#ifndef CSQLITE_WAL_BUFFER_H
#define CSQLITE_WAL_BUFFER_H

/// The name of the VFS that `csqlite_wal_buffer_register` adds.
#define CSQLITE_WAL_BUFFER_VFS "sqslite-wal-buffer"

/// Registers (once per process; later calls return the first call's result) a VFS named
/// `CSQLITE_WAL_BUFFER_VFS` over SQLite's "unix-excl" (the default VFS where that is missing). It
/// differs from it only for write-ahead logs: the frames one transaction appends reach the file in
/// one write instead of two per frame. With "unix-excl" a database is this process's alone while
/// it is open: its connections share the WAL index on the heap and take no file locks per
/// transaction.
/// Returns SQLITE_OK or SQLite's error code.
int csqlite_wal_buffer_register(void);

#endif
