package dev.batchwise.options;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Why a front end other than {@code run} does not take an option of run, beside its declaration: the
 * front end refuses the option with this reason when it is typed, or declares an option of the same
 * name with another meaning (bench's grid lists, the Spark job's output directory). On a group class,
 * it holds for every option of the group that has none of its own. Empty: the front end takes the
 * option through this declaration.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.TYPE})
public @interface Refused {

    /** Why {@code batchwise bench} does not take it. */
    String bench() default "";

    /** Why the Spark job does not take it. */
    String spark() default "";
}
