// colsnap copy IN OUT [--deflate[=LEVEL] | --stored]: lossless, atomic rewrite.
//
// Atomicity comes from the library: npz_writer and write_npy write "OUT.tmp..." beside OUT and
// rename it over OUT only on commit; an uncommitted npz_writer removes its temp file when
// destroyed (also during stack unwinding). So on any error OUT does not appear and an existing
// OUT keeps its bytes. IN == OUT is safe for the same reason: IN is read into memory first
// (file_access::read, so a concurrent rewrite of IN is an error, not a SIGBUS), and the rename is
// the last step.

#include "commands.hpp"
#include "snapshot_source.hpp"

#include <colsnap/npy.hpp>
#include <colsnap/npz_writer.hpp>

#include <filesystem>
#include <string>

namespace colsnap_cli {
namespace {

void refuse_conversion(const snapshot_source& src, const std::filesystem::path& out) {
    const auto ext = out.extension();
    const bool in_npz = src.kind() == file_kind::npz;
    if ((in_npz && ext == ".npy") || (!in_npz && ext == ".npz"))
        throw usage_error("copy: IN is an " + std::string(in_npz ? ".npz" : ".npy") +
                          " but OUT ends in " + ext.string() +
                          "; copy rewrites without converting (.npz -> .npz, .npy -> .npy)");
}

void copy_npz(const snapshot_source& src, const copy_options& opt) {
    colsnap::npz_writer writer(opt.out);
    for (const member_entry& m : src.members()) {
        colsnap::compression method = m.method;
        if (opt.method == copy_method::stored) method = colsnap::compression::stored;
        if (opt.method == copy_method::deflate) method = colsnap::compression::deflate;
        if (m.kind != colsnap::member_kind::array) {
            // Not an array colsnap can type: its bytes as they are, under its own zip name.
            const colsnap::member_bytes c = src.content(m);
            writer.add_file(m.record->zip_name, c.bytes, method, opt.level);
            continue;
        }
        // raw(): the member exactly as stored (dtype byte order, C/Fortran order), CRC checked.
        const colsnap::array a = src.raw(m);
        writer.add(colsnap::column_ref{m.name, a.info(), a.bytes()}, method, opt.level);
    }
    writer.commit();
}

} // namespace

int run_copy(const copy_options& opt) {
    const snapshot_source src = snapshot_source::open(opt.in, read_into_memory());
    refuse_conversion(src, opt.out);
    if (src.kind() == file_kind::npz) {
        copy_npz(src, opt);
    } else {
        if (opt.method == copy_method::deflate)
            throw usage_error("copy: --deflate applies to .npz files; an .npy is always stored");
        const member_entry& m = src.members().front();
        const colsnap::array a = src.raw(m);
        colsnap::write_npy(opt.out, a.info(), a.bytes());
    }
    return exit_ok;
}

} // namespace colsnap_cli
