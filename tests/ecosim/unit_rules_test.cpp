// The event rules (event_rules.hpp) and the config check: the prefilter forces through exactly
// the creatures that have an event without food, a config under which the prefilter cannot
// work is refused, and every config value out of its range is refused naming the field.

#include "support.hpp"

#include <ecosim/eat_query/summary.hpp>
#include <ecosim/error.hpp>
#include <ecosim/event_rules.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>

using namespace ecosim;

namespace {
constexpr float nan_f = std::numeric_limits<float>::quiet_NaN();
constexpr float inf_f = std::numeric_limits<float>::infinity();
} // namespace

TEST(EventRules, PrefilterForcesExactlyTheEventsThatNeedNoFood) {
    const config cfg = make_config(1000);
    const event_rules rules(cfg);
    const summary::geometry g(cfg);
    ASSERT_TRUE(g.usable);
    for (const float e :
         {-5.0f, -0.0f, 0.0f, 1e-30f, 1.0f, 50.0f, 99.99f, 100.0f, 100.01f, 1e9f, inf_f, -inf_f}) {
        event_kind kind{};
        const bool without_food = rules.decide(e, false, kind);
        EXPECT_EQ(without_food, rules.food_free_event(e)) << "energy " << e;
        // a creature far from any food, with this energy: box_of forces it through exactly then
        summary::boxes b{};
        summary::box_of(g, rules, 10.0f, 10.0f, e, 0, b);
        EXPECT_EQ(b.force[0] != 0, without_food) << "energy " << e;
        // with food in reach there is always an event, and food never overrides the others
        event_kind with{};
        ASSERT_TRUE(rules.decide(e, true, with));
        if (without_food) EXPECT_EQ(with, kind);
        else EXPECT_EQ(with, event_kind::eat);
    }
}

TEST(EventRules, StarveBeforeReproduceBeforeEat) {
    config cfg;
    cfg.reproduce_energy = -1.0f; // both energy rules hold at energy -0.5: starve wins
    event_kind kind{};
    ASSERT_TRUE(event_rules(cfg).decide(-0.5f, true, kind));
    EXPECT_EQ(kind, event_kind::starve);
}

TEST(Config, RefusesAGridCellTheEatQueryCannotServe) {
    // the window summaries need grid_cell > 4 reaches (plus margins); 4.2 reaches still works
    for (const float cell : {1.0f, 2.0f, 4.0f, 4.05f}) {
        config cfg = make_config(1000);
        cfg.grid_cell = cell;
        try {
            (void)create_world(cfg);
            ADD_FAILURE() << "grid_cell " << cell << " accepted";
        } catch (const ecosim::error& e) {
            EXPECT_EQ(e.code(), errc::invalid_config);
            EXPECT_EQ(e.where(), "config/grid_cell") << e.what();
        }
    }
    config ok = make_config(1000);
    ok.grid_cell = 4.2f;
    EXPECT_NO_THROW((void)create_world(ok));
    ok.grid_cell = 8.0f;
    ok.eat_radius = 1.9f; // 4.2 reaches again
    EXPECT_NO_THROW((void)create_world(ok));
    ok.eat_radius = 2.0f;
    EXPECT_THROW((void)create_world(ok), ecosim::error);
}

/// One config field with a value it must refuse.
struct bad_field {
    const char* field;
    std::function<void(config&)> set;
    const char* shown; ///< the value as the message shows it
};

class ConfigField : public ::testing::TestWithParam<bad_field> {};

TEST_P(ConfigField, IsRefusedNamingTheFieldAndValue) {
    config cfg = make_config(500);
    GetParam().set(cfg);
    try {
        (void)create_world(cfg);
        ADD_FAILURE() << GetParam().field << " accepted";
    } catch (const ecosim::error& e) {
        EXPECT_EQ(e.code(), errc::invalid_config) << e.what();
        EXPECT_EQ(e.where(), std::string("config/") + GetParam().field) << e.what();
        EXPECT_NE(std::string(e.what()).find(GetParam().shown), std::string::npos) << e.what();
    }
}

const bad_field bad_fields[] = {
    {"initial_creatures", [](config& c) { c.initial_creatures = 0x80000001u; }, "2147483649"},
    {"area_per_creature", [](config& c) { c.area_per_creature = 0.0f; }, "is 0"},
    {"world_size", [](config& c) { c.world_size = nan_f; }, "nan"},
    {"world_size", [](config& c) { c.world_size = -800.0f; }, "-800"},
    {"dt", [](config& c) { c.dt = 0.0; }, "is 0"},
    {"dt", [](config& c) { c.dt = std::numeric_limits<double>::infinity(); }, "inf"},
    {"speed_min", [](config& c) { c.speed_min = -1.0f; }, "-1"},
    {"speed_max", [](config& c) { c.speed_max = 1.0f; }, "is 1"},
    {"speed_max", [](config& c) { c.speed_max = inf_f; }, "inf"},
    {"turn_rate", [](config& c) { c.turn_rate = nan_f; }, "nan"},
    {"burn_move", [](config& c) { c.burn_move = -0.5f; }, "-0.5"},
    {"burn_idle", [](config& c) { c.burn_idle = nan_f; }, "nan"},
    {"eat_radius", [](config& c) { c.eat_radius = 0.0f; }, "is 0"},
    {"eat_radius", [](config& c) { c.eat_radius = nan_f; }, "nan"},
    {"food_value", [](config& c) { c.food_value = -20.0f; }, "-20"},
    {"reproduce_energy", [](config& c) { c.reproduce_energy = 0.0f; }, "is 0"},
    {"hunger_line", [](config& c) { c.hunger_line = nan_f; }, "nan"},
    {"initial_energy_min", [](config& c) { c.initial_energy_min = -inf_f; }, "-inf"},
    {"initial_energy_max", [](config& c) { c.initial_energy_max = 10.0f; }, "is 10"},
    {"initial_food_per_creature", [](config& c) { c.initial_food_per_creature = -1.0f; }, "-1"},
    {"initial_food_per_creature", [](config& c) { c.initial_food_per_creature = 1e7f; }, "1e+07"},
    {"food_per_area_per_second", [](config& c) { c.food_per_area_per_second = nan_f; }, "nan"},
    {"food_per_area_per_second", [](config& c) { c.food_per_area_per_second = -1.0f; }, "-1"},
    {"spawners_per_side", [](config& c) { c.spawners_per_side = 0; }, "is 0"},
    {"spawners_per_side", [](config& c) { c.spawners_per_side = 17; }, "17"},
    {"grid_cell", [](config& c) { c.grid_cell = nan_f; }, "nan"},
    {"grid_cell", [](config& c) { c.grid_cell = 0.01f; }, "0.01"},
    {"grid_cell", [](config& c) { c.grid_cell = 3.0f; }, "is 3"},
};

INSTANTIATE_TEST_SUITE_P(EveryField, ConfigField, ::testing::ValuesIn(bad_fields),
                         [](const auto& p) {
                             return std::string(p.param.field) + "_" + std::to_string(p.index);
                         });
