#pragma once
/// @file npz.hpp
/// @brief .npz archives: reader and writer.

#include <colsnap/npz_reader.hpp>
#include <colsnap/npz_writer.hpp>
