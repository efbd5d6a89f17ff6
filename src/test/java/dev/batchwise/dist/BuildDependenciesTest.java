package dev.batchwise.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Building the command line ({@code mvn package -DskipTests}, the README's first command) needs no
 * Spark: the Spark job's dependency is declared only in the profile 'spark', which the tests turn on
 * and -DskipTests leaves off.
 */
class BuildDependenciesTest {

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent == null ? null : parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> groups(Element dependencies) {
        return children(dependencies, "dependency").stream().map(d -> child(d, "groupId").getTextContent().strip())
                .toList();
    }

    @Test
    void sparkComesOnlyWithTheProfileTheTestsTurnOn() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element project = pom.getDocumentElement();
        assertEquals(List.of(), groups(child(project, "dependencies")).stream()
                .filter(g -> g.startsWith("org.apache.spark")).toList(), "Spark among the command line's dependencies");
        Element spark = children(child(project, "profiles"), "profile").stream()
                .filter(p -> child(p, "id").getTextContent().strip().equals("spark")).findFirst().orElse(null);
        assertNotNull(spark, "the profile 'spark'");
        assertEquals(List.of("org.apache.spark"), groups(child(spark, "dependencies")));
        Element property = child(child(spark, "activation"), "property");
        assertEquals("skipTests", child(property, "name").getTextContent().strip());
        assertEquals("!true", child(property, "value").getTextContent().strip(), "on unless -DskipTests");
    }
}
