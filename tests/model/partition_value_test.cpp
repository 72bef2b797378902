#include "model/partition_value.h"

#include <gtest/gtest.h>

namespace sparkify::model {
namespace {

TEST(PartitionValue, FolderNameSizeIsThatOfTheEscapedName) {
  std::string every_byte;
  for (int byte = 0; byte < 256; ++byte) every_byte += static_cast<char>(byte);
  for (std::string_view value : {std::string_view("ARD7TVE1187B99BFB1"), std::string_view("a/b c=d%"),
                                 std::string_view("Zürich"), std::string_view(""), std::string_view(every_byte)}) {
    EXPECT_EQ(partition_folder_name_size("artist_id", value),
              std::string("artist_id=").size() + escape_partition_value(value).size())
        << value;
  }
}

TEST(PartitionValue, EscapesAsHiveDoes) {
  EXPECT_EQ(escape_partition_value("AR/1=2 x"), "AR%2F1%3D2%20x");
  EXPECT_EQ(escape_partition_value("Zürich"), "Zürich");
}

}  // namespace
}  // namespace sparkify::model
