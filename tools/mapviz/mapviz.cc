// mapviz: draws live gort maps bucket by bucket, for the maps chapter's
// diagrams (chapters/02_maps/README.md pastes its output).
//
//   bazel run //tools/mapviz            the chapter's scenes
//   bazel run //tools/mapviz -- 42      the same with seed 42
//
// Every random choice (map seeds, the process hash key) comes from the
// seed, so a given seed always draws the same pictures. Cells are
// "tophash:key"; markers as in include/gort/rt/mapview.h (.. emptyRest,
// e1 emptyOne, eX/eY evacuated to the low/high half, eE evacuated empty).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "include/gort/gort.h"
#include "include/gort/rt/alg.h"
#include "include/gort/rt/fastrand.h"
#include "include/gort/rt/mapview.h"

namespace {

using IntMap = gort::Map<std::int64_t, std::int64_t>;

void Draw(const char* title, const IntMap& m) {
  std::printf("## %s\n\n", title);
  std::fputs(gort::rt::RenderMap(IntMap::type(), m.header(),
                                 [](const void* k) {
                                   return std::to_string(*static_cast<const std::int64_t*>(k));
                                 })
                 .c_str(),
             stdout);
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t seed = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 3;
  gort::rt::SetFastrandSeed(seed);
  gort::rt::alginit(seed);
  gort::Run([] {
    IntMap m = gort::make_map<std::int64_t, std::int64_t>();
    for (std::int64_t k = 0; k < 26; ++k) m[k] = k;
    Draw("26 keys: B=2, 6.5 per bucket on average; a 9th key in a bucket chains an overflow bucket", m);

    m[26] = 26;  // 27 > 6.5 * 4: doubling to B=3 starts
    Draw("insert #27 starts doubling to B=3; growWork evacuated two old buckets", m);

    m[27] = 27;
    m[28] = 28;
    Draw("two more inserts: evacuation done, old buckets dropped", m);

    for (std::int64_t k = 0; k < 29; k += 3) gort::delete_(m, k);
    Draw("every third key deleted: holes (e1) and empty tails (..)", m);
  });
  return 0;
}
