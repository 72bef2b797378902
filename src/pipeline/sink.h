// Where the parsed records go. A sink's life cycle, driven by the pipeline:
//   begin() → write_songs()… end_songs() → write_events()… end_events()
//   → prepare() → commit()           or abort() at any point.
// prepare() does everything that can fail (transform, write files aside);
// commit() makes the result visible. With several sinks, the pipeline
// prepares them all before it commits any, so that one failing sink leaves
// every target as it was.
#pragma once

#include <string>
#include <vector>

#include "model/records.h"
#include "model/star.h"
#include "pipeline/summary.h"

namespace sparkify::pipeline {

class Sink {
 public:
  virtual ~Sink() = default;
  virtual std::string name() const = 0;  // for logs; never a secret
  virtual void begin() = 0;
  // Whether every song must arrive (end_songs) before the first event. When
  // no sink needs that, the run reads the song files while the events
  // stream in, and hands the songs over after them.
  virtual bool needs_songs_before_events() const { return true; }
  virtual void write_songs(const std::vector<model::SongRecord>& songs) = 0;
  virtual void end_songs() = 0;
  virtual void write_events(const std::vector<model::EventRecord>& events) = 0;
  virtual void end_events() = 0;
  // Builds the star schema; times its phases into `summary`.
  virtual model::TableCounts prepare(RunSummary& summary) = 0;
  virtual void commit(RunSummary& summary) = 0;
  virtual void abort() noexcept = 0;
};

}  // namespace sparkify::pipeline
