package org.jupyterhealth.exchange.common.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jupyterhealth.exchange.common.web.PageRule.Reading;
import org.jupyterhealth.exchange.common.web.PageRule.Refused;

/** The paging rule's edge cases, without a service (docs/compatibility.md#pagination). */
class PageRuleTest {
    private static final String LIST = "https://exchange.example/api/v1/patients";

    private static PageRule lenient(String query) {
        return PageRule.of(params(query)::get, PageRule.DEFAULT_SIZE, Reading.LENIENT);
    }

    private static PageRule strict(String query) {
        return PageRule.of(params(query)::get, PageRule.DEFAULT_SIZE, Reading.STRICT);
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new HashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                params.putIfAbsent(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return params;
    }

    private static URI self(String query) {
        return URI.create(query.isEmpty() ? LIST : LIST + "?" + query);
    }

    @Test
    void noParametersIsTheFirstPageOfTheDefaultSize() {
        PageRule page = lenient("");

        assertThat(page.limit()).isEqualTo(20);
        assertThat(page.offset()).isZero();
        assertThat(page.needsCount()).isFalse();
        assertThat(page.previous(self(""))).isNull();
        assertThat(page.next(self(""), 20)).isNull();
        assertThat(page.next(self(""), 21)).isEqualTo(LIST + "?page=2&page_size=20");
    }

    @Test
    void aListsOwnDefaultSizeAppliesWhenTheRequestNamesNone() {
        assertThat(PageRule.of(params("")::get, PageRule.MAX_SIZE, Reading.LENIENT).limit()).isEqualTo(1000);
    }

    @Test
    void pageNumbersAreOneBased() {
        PageRule page = lenient("page=3&page_size=10");

        assertThat(page.offset()).isEqualTo(20);
        assertThat(page.limit()).isEqualTo(10);
    }

    @ParameterizedTest
    @ValueSource(strings = { "page=0", "page=-1", "page=x", "page=1.5", "page=LAST",
            "page=9223372036854775807", "page=99999999999999999999" })
    void aPageThatCannotExistIsInvalidPageInBothReadings(String query) {
        for (Reading reading : Reading.values()) {
            assertThatThrownBy(() -> PageRule.of(params(query)::get, PageRule.DEFAULT_SIZE, reading))
                    .isInstanceOfSatisfying(Refused.class, refused -> {
                        assertThat(refused.status()).isEqualTo(404);
                        assertThat(refused.parameter()).isNull();
                        assertThat(refused.getMessage()).isEqualTo("Invalid page.");
                    });
        }
    }

    @Test
    void aBlankPageIsTheFirst() {
        assertThat(lenient("page=").offset()).isZero();
        assertThat(strict("page= ").offset()).isZero();
    }

    @Test
    void aPagePastTheEndIsInvalidPageButTheFirstPageAlwaysExists() {
        assertThatThrownBy(() -> lenient("page=3&page_size=10").checkExists(20))
                .isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.status()).isEqualTo(404));
        lenient("page=2&page_size=10").checkExists(11);
        lenient("page=1").checkExists(0);
        strict("page=1").checkExists(0);
    }

    @Test
    void aHugePageOfAHugeSizeIsPastTheEnd() {
        PageRule page = strict("page=2147483647&pageSize=1000");

        assertThatThrownBy(() -> page.checkExists(5)).isInstanceOf(Refused.class);
    }

    @Test
    void anOffsetPastTheEndIsAnEmptyPageNotAnError() {
        PageRule page = lenient("limit=2&offset=40");

        page.checkExists(5);
        assertThat(page.offset()).isEqualTo(40);
        assertThat(page.next(self("limit=2&offset=40"), 5)).isNull();
        assertThat(page.previous(self("limit=2&offset=40"))).isEqualTo(LIST + "?offset=38&limit=2");
    }

    @Test
    void theLastPageIsFoundFromTheCount() {
        PageRule last = lenient("page=last&page_size=10");
        assertThat(last.needsCount()).isTrue();

        PageRule resolved = last.resolve(25);
        assertThat(resolved.needsCount()).isFalse();
        assertThat(resolved.offset()).isEqualTo(20);
        assertThat(resolved.next(self("page=last&page_size=10"), 25)).isNull();
        assertThat(resolved.previous(self("page=last&page_size=10"))).isEqualTo(LIST + "?page=2&page_size=10");
    }

    @Test
    void theLastPageOfAnEmptyListIsTheFirst() {
        PageRule resolved = strict("page=last").resolve(0);

        assertThat(resolved.offset()).isZero();
        resolved.checkExists(0);
        assertThat(resolved.previous(self("page=last"))).isNull();
    }

    @Test
    void theLastPageOfAnExactMultipleIsFull() {
        assertThat(lenient("page=last&page_size=5").resolve(10).offset()).isEqualTo(5);
    }

    @Test
    void theSizeIsAtMostOneThousand() {
        assertThat(lenient("page_size=5000").limit()).isEqualTo(1000);
        assertThat(lenient("limit=99999999999").limit()).isEqualTo(1000);
        assertThat(strict("limit=5000").limit()).isEqualTo(1000);
        assertThat(strict("pageSize=1001").limit()).isEqualTo(1000);
    }

    @Test
    void leniently_aMalformedSizeOrOffsetIsItsDefault() {
        assertThat(lenient("page_size=0").limit()).isEqualTo(20);
        assertThat(lenient("page_size=-3").limit()).isEqualTo(20);
        assertThat(lenient("pageSize=many").limit()).isEqualTo(20);
        assertThat(lenient("limit=x").limit()).isEqualTo(20);
        assertThat(lenient("limit=5&offset=-5").offset()).isZero();
        assertThat(lenient("limit=5&offset=x").offset()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "limit=0", "limit=x", "limit=99999999999", "offset=-5", "offset=1e3", "page_size=0",
            "pageSize=many" })
    void strictly_aMalformedSizeOrOffsetIs400NamingTheParameter(String query) {
        String parameter = query.substring(0, query.indexOf('='));

        assertThatThrownBy(() -> strict(query)).isInstanceOfSatisfying(Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.parameter()).isEqualTo(parameter);
            assertThat(refused.getMessage()).startsWith(parameter + " must be a whole number of at least ");
        });
    }

    @Test
    void offsetStyleWinsWhenBothStylesAreGiven() {
        PageRule page = lenient("limit=5&offset=10&page=7");

        assertThat(page.offset()).isEqualTo(10);
        assertThat(page.limit()).isEqualTo(5);
        assertThat(page.needsCount()).isFalse();
    }

    @Test
    void offsetLinksKeepTheOffsetStyleAndDropOffsetZero() {
        String query = "organization_id=3&limit=2&offset=2";
        PageRule page = lenient(query);

        assertThat(page.next(self(query), 5)).isEqualTo(LIST + "?organization_id=3&offset=4&limit=2");
        assertThat(page.previous(self(query))).isEqualTo(LIST + "?organization_id=3&limit=2");
    }

    @Test
    void leniently_pageLinksKeepTheCallersSpelling() {
        String camel = "page=2&pageSize=2";
        String snake = "page=2&page_size=2";

        assertThat(lenient(camel).next(self(camel), 10)).isEqualTo(LIST + "?page=3&pageSize=2");
        assertThat(lenient(camel).previous(self(camel))).isEqualTo(LIST + "?pageSize=2");
        assertThat(lenient(snake).next(self(snake), 10)).isEqualTo(LIST + "?page=3&page_size=2");
        assertThat(lenient(snake).previous(self(snake))).isEqualTo(LIST + "?page_size=2");
    }

    @Test
    void leniently_theIgnoredSpellingLeavesTheLinks() {
        String both = "page=2&page_size=5&pageSize=7";

        assertThat(lenient(both).next(self(both), 100)).isEqualTo(LIST + "?page=3&page_size=5");
    }

    @Test
    void strictly_pageLinksKeepTheCallersSpelling() {
        String query = "page=2&pageSize=2";
        PageRule page = strict(query);

        assertThat(page.next(self(query), 10)).isEqualTo(LIST + "?page=3&pageSize=2");
        assertThat(page.previous(self(query))).isEqualTo(LIST + "?pageSize=2");
    }

    @Test
    void anEmptyListHasNoLinks() {
        PageRule page = lenient("limit=10");

        assertThat(page.next(self("limit=10"), 0)).isNull();
        assertThat(page.previous(self("limit=10"))).isNull();
    }
    @ParameterizedTest
    @ValueSource(strings = { "page=2abc", "page=0x10", "page=--1", "page=1 000", "page=last1", "page=Last",
            "page=-9223372036854775808" })
    void aPageNumberThatIsNotAWholeNumberIsInvalidPage(String query) {
        for (Reading reading : Reading.values()) {
            assertThatThrownBy(() -> PageRule.of(params(query)::get, PageRule.DEFAULT_SIZE, reading))
                    .isInstanceOfSatisfying(Refused.class, refused -> {
                        assertThat(refused.status()).isEqualTo(404);
                        assertThat(refused.getMessage()).isEqualTo("Invalid page.");
                    });
        }
    }

    @Test
    void numbersMayBeSurroundedBySpaces() {
        PageRule page = strict("page= 3 &page_size= 4 ");

        assertThat(page.offset()).isEqualTo(8);
        assertThat(page.limit()).isEqualTo(4);
        assertThat(lenient("limit= 7 &offset= 2 ").offset()).isEqualTo(2);
    }

    @Test
    void aPageSizeFromOneToOneThousandIsKeptAsGiven() {
        for (Reading reading : Reading.values()) {
            for (String query : new String[] { "page_size=1", "pageSize=1", "limit=1" }) {
                assertThat(PageRule.of(params(query)::get, PageRule.DEFAULT_SIZE, reading).limit()).isEqualTo(1);
            }
            for (String query : new String[] { "page_size=1000", "pageSize=1000", "limit=1000" }) {
                assertThat(PageRule.of(params(query)::get, PageRule.DEFAULT_SIZE, reading).limit()).isEqualTo(1000);
            }
        }
    }

    @Test
    void aPageSizeBeyondAnIntIsTheMaximumLenientlyAnd400Strictly() {
        assertThat(lenient("page_size=99999999999").limit()).isEqualTo(1000);
        assertThatThrownBy(() -> strict("page_size=99999999999")).isInstanceOfSatisfying(Refused.class,
                refused -> {
                    assertThat(refused.status()).isEqualTo(400);
                    assertThat(refused.parameter()).isEqualTo("page_size");
                    assertThat(refused.getMessage()).isEqualTo("page_size must be a whole number of at least 1.");
                });
        assertThat(strict("pageSize=2147483647").limit()).isEqualTo(1000);
    }

    @Test
    void theSnakeCaseSpellingWinsWhenBothPageSizesAreGiven() {
        String query = "page=2&page_size=5&pageSize=7";

        assertThat(lenient(query).limit()).isEqualTo(5);
        assertThat(strict(query).limit()).isEqualTo(5);
        assertThat(strict(query).next(self(query), 100)).isEqualTo(LIST + "?pageSize=7&page=3&page_size=5");
    }

    @Test
    void strictly_anOffsetBeyondAnIntIs400ButLenientlyItIsReadAsGiven() {
        assertThatThrownBy(() -> strict("limit=5&offset=3000000000")).isInstanceOfSatisfying(Refused.class,
                refused -> {
                    assertThat(refused.status()).isEqualTo(400);
                    assertThat(refused.parameter()).isEqualTo("offset");
                    assertThat(refused.getMessage()).isEqualTo("offset must be a whole number of at least 0.");
                });
        assertThat(lenient("limit=5&offset=3000000000").offset()).isEqualTo(3_000_000_000L);
        // beyond what a long holds it is no number at all, so the default
        assertThat(lenient("limit=5&offset=99999999999999999999").offset()).isZero();
    }

    @Test
    void anOffsetAsHighAsALongGoesHasNoNextPageAndAPreviousOne() {
        String query = "limit=1000&offset=9223372036854775807";
        PageRule page = lenient(query);

        page.checkExists(5);
        assertThat(page.next(self(query), 5)).isNull();
        assertThat(page.next(self(query), Long.MAX_VALUE)).isNull();
        assertThat(page.previous(self(query))).isEqualTo(LIST + "?offset=9223372036854774807&limit=1000");
    }

    @Test
    void theHighestPageNumberThatCanStartAnItemIsReadWithoutOverflow() {
        long highest = Long.MAX_VALUE / 1000 + 1;
        PageRule page = strict("page=" + highest + "&page_size=1000");

        assertThat(page.offset()).isEqualTo((highest - 1) * 1000).isPositive();
        assertThatThrownBy(() -> page.checkExists(1_000_000)).isInstanceOf(Refused.class);
        assertThatThrownBy(() -> strict("page=" + (highest + 1) + "&page_size=1000"))
                .isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.status()).isEqualTo(404));
    }

    @Test
    void theLastPageWithNoRowsIsTheFirstInBothReadingsWithoutLinks() {
        for (Reading reading : Reading.values()) {
            String query = "page=last&page_size=10";
            PageRule resolved = PageRule.of(params(query)::get, PageRule.DEFAULT_SIZE, reading).resolve(0);

            resolved.checkExists(0);
            assertThat(resolved.offset()).isZero();
            assertThat(resolved.limit()).isEqualTo(10);
            assertThat(resolved.next(self(query), 0)).isNull();
            assertThat(resolved.previous(self(query))).isNull();
        }
    }

    @Test
    void theLastPageLinksBackToTheFirstWithoutAPageNumber() {
        String query = "page=last&page_size=10";
        PageRule resolved = lenient(query).resolve(11);

        assertThat(resolved.offset()).isEqualTo(10);
        assertThat(resolved.previous(self(query))).isEqualTo(LIST + "?page_size=10");
    }

    @Test
    void aNumberedPageOfAnEmptyListIsInvalidPageAfterTheCount() {
        PageRule second = strict("page=2");

        assertThat(second.needsCount()).isFalse();
        assertThat(second.resolve(0)).isSameAs(second);
        assertThatThrownBy(() -> second.checkExists(0))
                .isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.status()).isEqualTo(404));
    }

    @Test
    void theOffsetStyleNeverNeedsACountAndNeverRefusesAPage() {
        PageRule page = lenient("limit=10&offset=0");

        assertThat(page.needsCount()).isFalse();
        assertThat(page.resolve(0)).isSameAs(page);
        page.checkExists(0);
        assertThat(page.next(self("limit=10&offset=0"), 10)).isNull();
        assertThat(page.next(self("limit=10&offset=0"), 11)).isEqualTo(LIST + "?offset=10&limit=10");
    }
}
