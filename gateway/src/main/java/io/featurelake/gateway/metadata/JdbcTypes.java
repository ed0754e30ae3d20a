package io.featurelake.gateway.metadata;

import java.sql.Types;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.CharType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NullType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.sql.types.VarcharType;

/** Spark SQL types as {@link java.sql.Types} and the size columns of {@code getColumns}. */
final class JdbcTypes {

  private JdbcTypes() {}

  static int sqlType(DataType type) {
    if (type instanceof NullType) {
      return Types.NULL;
    } else if (type instanceof BooleanType) {
      return Types.BOOLEAN;
    } else if (type instanceof ByteType) {
      return Types.TINYINT;
    } else if (type instanceof ShortType) {
      return Types.SMALLINT;
    } else if (type instanceof IntegerType) {
      return Types.INTEGER;
    } else if (type instanceof LongType) {
      return Types.BIGINT;
    } else if (type instanceof FloatType) {
      return Types.FLOAT;
    } else if (type instanceof DoubleType) {
      return Types.DOUBLE;
    } else if (type instanceof DecimalType) {
      return Types.DECIMAL;
    } else if (type instanceof StringType || type instanceof VarcharType) {
      return Types.VARCHAR;
    } else if (type instanceof CharType) {
      return Types.CHAR;
    } else if (type instanceof BinaryType) {
      return Types.BINARY;
    } else if (type instanceof DateType) {
      return Types.DATE;
    } else if (type instanceof TimestampType || type instanceof TimestampNTZType) {
      return Types.TIMESTAMP;
    } else if (type instanceof ArrayType) {
      return Types.ARRAY;
    } else if (type instanceof StructType) {
      return Types.STRUCT;
    } else if (type instanceof MapType) {
      return Types.JAVA_OBJECT;
    }
    return Types.OTHER;
  }

  /** COLUMN_SIZE: precision for numbers, length for chars, null where variable. */
  static Integer columnSize(DataType type) {
    if (type instanceof DecimalType) {
      return ((DecimalType) type).precision();
    } else if (type instanceof CharType) {
      return ((CharType) type).length();
    } else if (type instanceof VarcharType) {
      return ((VarcharType) type).length();
    } else if (type instanceof BooleanType || type instanceof NumericType || type instanceof DateType
        || type instanceof TimestampType || type instanceof TimestampNTZType) {
      return type.defaultSize();
    }
    return null;
  }

  /** DECIMAL_DIGITS: scale, or fractional digits of floating point and timestamps. */
  static Integer decimalDigits(DataType type) {
    if (type instanceof DecimalType) {
      return ((DecimalType) type).scale();
    } else if (type instanceof BooleanType || type instanceof ByteType || type instanceof ShortType
        || type instanceof IntegerType || type instanceof LongType) {
      return 0;
    } else if (type instanceof FloatType) {
      return 7;
    } else if (type instanceof DoubleType) {
      return 15;
    } else if (type instanceof TimestampType || type instanceof TimestampNTZType) {
      return 6;
    }
    return null;
  }

  static Integer radix(DataType type) {
    return type instanceof NumericType ? 10 : null;
  }
}
