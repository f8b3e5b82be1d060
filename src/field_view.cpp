// Zero-copy views of one field of a record array (array::field) and their typed reads.

#include <colsnap/array.hpp>
#include <colsnap/field_view.hpp>

namespace colsnap {

void field_view::check(const dtype& want) const {
    if (!info_.shape.empty())
        throw error(errc::type_mismatch,
                    "field '" + info_.name + "' is a sub-array: read it through data(i)");
    if (info_.type != want)
        throw error(
            errc::type_mismatch,
            "field '" + info_.name + "' holds " + info_.type.descr() + " but T is " + want.descr() +
                (info_.type.as_native() == want
                     ? " (same type, other byte order: call to_native_c() on the array first)"
                     : ""));
}

field_view array::field(std::string_view name) const {
    if (info_.type.kind != dtype_kind::structured || !info_.type.fields)
        fail(errc::type_mismatch,
             "field(): the array holds " + info_.type.descr() + ", not records");
    if (!info_.is_c_contiguous())
        fail(errc::type_mismatch,
             "field(): the array " + info_.shape_string() +
                 " is in Fortran order; call to_native_c() for a C-order copy");
    for (const colsnap::field& f : *info_.type.fields)
        if (f.name == name || (f.title && *f.title == name))
            return {f, bytes_.empty() ? bytes_.data() : bytes_.data() + f.offset, size(),
                    info_.type.itemsize, keep_};
    fail(errc::no_such_member, "field(): no field named '" + std::string(name) + "'");
}

} // namespace colsnap
