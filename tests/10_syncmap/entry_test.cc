// Step 1: the entry and its three states (live / nil / expunged).
// Mirrors Go 1.19 src/sync/map.go (entry methods). These run on bare
// entries: no map, no lock.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "include/gort/rt/syncmap.h"

namespace gort::rt::sync {
namespace {

int boxA = 1;
int boxB = 2;

TEST(Step1_Entry, LiveEntryLoadsItsBox) {
  entry e(&boxA);
  bool ok = false;
  EXPECT_EQ(e.load(&ok), &boxA);
  EXPECT_TRUE(ok);
}

TEST(Step1_Entry, DeletedAndExpungedEntriesLoadAsMissing) {
  entry nil;
  entry gone(expunged);
  bool ok = true;
  EXPECT_EQ(nil.load(&ok), nullptr);
  EXPECT_FALSE(ok);
  ok = true;
  EXPECT_EQ(gone.load(&ok), nullptr);
  EXPECT_FALSE(ok);
}

TEST(Step1_Entry, TryStoreReplacesLiveAndNilButNotExpunged) {
  entry live(&boxA);
  EXPECT_TRUE(live.tryStore(&boxB));
  EXPECT_EQ(live.p.load(), &boxB);
  entry nil;
  EXPECT_TRUE(nil.tryStore(&boxA));
  EXPECT_EQ(nil.p.load(), &boxA);
  entry gone(expunged);
  EXPECT_FALSE(gone.tryStore(&boxA));
  EXPECT_EQ(gone.p.load(), expunged);
}

TEST(Step1_Entry, DeleteSoftDeletesAndReturnsTheOldBox) {
  entry e(&boxA);
  bool ok = false;
  EXPECT_EQ(e.delete_(&ok), &boxA);
  EXPECT_TRUE(ok);
  EXPECT_EQ(e.p.load(), nullptr);
  EXPECT_EQ(e.delete_(&ok), nullptr);
  EXPECT_FALSE(ok);
}

TEST(Step1_Entry, DeleteOfExpungedEntryIsANoOp) {
  entry e(expunged);
  bool ok = true;
  EXPECT_EQ(e.delete_(&ok), nullptr);
  EXPECT_FALSE(ok);
  EXPECT_EQ(e.p.load(), expunged);
}

TEST(Step1_Entry, TryExpungeLockedTurnsOnlyNilIntoExpunged) {
  entry nil;
  EXPECT_TRUE(nil.tryExpungeLocked());
  EXPECT_EQ(nil.p.load(), expunged);
  EXPECT_TRUE(nil.tryExpungeLocked());  // already expunged: still true
  entry live(&boxA);
  EXPECT_FALSE(live.tryExpungeLocked());
  EXPECT_EQ(live.p.load(), &boxA);
}

TEST(Step1_Entry, UnexpungeLockedTurnsExpungedIntoNilOnly) {
  entry gone(expunged);
  EXPECT_TRUE(gone.unexpungeLocked());
  EXPECT_EQ(gone.p.load(), nullptr);
  EXPECT_FALSE(gone.unexpungeLocked());
  entry live(&boxA);
  EXPECT_FALSE(live.unexpungeLocked());
  EXPECT_EQ(live.p.load(), &boxA);
}

TEST(Step1_Entry, StoreLockedStoresUnconditionally) {
  entry e;
  e.storeLocked(&boxB);
  EXPECT_EQ(e.p.load(), &boxB);
}

TEST(Step3_EntryLoadOrStore, LiveEntryIsLoaded) {
  entry e(&boxA);
  bool loaded = false, ok = false;
  EXPECT_EQ(e.tryLoadOrStore(&boxB, &loaded, &ok), &boxA);
  EXPECT_TRUE(loaded);
  EXPECT_TRUE(ok);
  EXPECT_EQ(e.p.load(), &boxA);
}

TEST(Step3_EntryLoadOrStore, NilEntryTakesTheNewBox) {
  entry e;
  bool loaded = true, ok = false;
  EXPECT_EQ(e.tryLoadOrStore(&boxB, &loaded, &ok), &boxB);
  EXPECT_FALSE(loaded);
  EXPECT_TRUE(ok);
  EXPECT_EQ(e.p.load(), &boxB);
}

TEST(Step3_EntryLoadOrStore, ExpungedEntryRefusesAndStaysExpunged) {
  entry e(expunged);
  bool loaded = true, ok = true;
  EXPECT_EQ(e.tryLoadOrStore(&boxB, &loaded, &ok), nullptr);
  EXPECT_FALSE(ok);
  EXPECT_FALSE(loaded);
  EXPECT_EQ(e.p.load(), expunged);
}

}  // namespace
}  // namespace gort::rt::sync
