#pragma once
/// @file colsnap.hpp
/// @brief The umbrella header (the only one): numpy .npy/.npz snapshots of columnar data.

#include <colsnap/array.hpp>
#include <colsnap/array_file.hpp>
#include <colsnap/background_writer.hpp>
#include <colsnap/column.hpp>
#include <colsnap/compression.hpp>
#include <colsnap/dtype.hpp>
#include <colsnap/error.hpp>
#include <colsnap/file_access.hpp>
#include <colsnap/hash.hpp>
#include <colsnap/limits.hpp>
#include <colsnap/npy.hpp>
#include <colsnap/npy_appender.hpp>
#include <colsnap/npz_reader.hpp>
#include <colsnap/npz_writer.hpp>
#include <colsnap/records.hpp>
#include <colsnap/strings.hpp>
