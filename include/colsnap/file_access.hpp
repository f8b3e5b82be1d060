#pragma once
/// @file file_access.hpp
/// @brief How a reader gets at a file's bytes: mapped, or read into memory it owns.

#include <cstdint>

namespace colsnap {

/// @brief How npz_reader::open, read_npy and hash_file get a file's bytes.
///
/// A mapped file is shared with every other process that has it open. colsnap's own writers
/// never change a file in place (they rename a new file over it, so a reader keeps the old
/// inode), but other programs do: `cp` over it, `rsync --inplace`, `np.savez` to the same path.
/// While a file is mapped:
/// - if it is truncated, touching a page past its new end raises SIGBUS, which kills the
///   process unless the caller handles the signal; this includes views returned earlier by
///   npz_reader::get()/raw() or read_npy() (zero-copy arrays point into the mapping);
/// - if it is overwritten in place, the mapping and those views show the new bytes, also after
///   their CRC-32 was checked.
/// file_access::read avoids both, at the cost of memory the size of the file.
enum class file_access : std::uint8_t {
    map,  ///< mmap(2): no copy, pages read when first touched; see above for the risk
    read, ///< pread(2) into memory owned by the reader (and the arrays it returns); a file
          ///< that shrinks or changes while it is read is refused with io_error
};

} // namespace colsnap
