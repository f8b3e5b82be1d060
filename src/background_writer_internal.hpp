#pragma once
// For tests only: holds a background_writer's worker so that "all slots busy" can be made to
// happen without timing.
#include <colsnap/background_writer.hpp>

namespace colsnap::detail {

struct background_writer_access {
    /// The worker finishes the write it is in, then takes no new one until release().
    static void hold(background_writer& w);
    static void release(background_writer& w);
    /// Blocks until a submit() on another thread is waiting for a free slot.
    static void wait_for_blocked_submit(background_writer& w);
};

} // namespace colsnap::detail
