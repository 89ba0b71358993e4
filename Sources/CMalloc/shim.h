#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H
/// glibc's allocator settings (`mallopt`), which Glibc's Swift module does not import.
#if __has_include(<malloc.h>)
#include <malloc.h>
#endif
#endif
