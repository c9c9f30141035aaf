# Generated from ui/settings.ui by pcc_desk.gui.forms.build; do not edit.
# -*- coding: utf-8 -*-


from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QFormLayout, QGroupBox, QHBoxLayout, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
    QPushButton, QRadioButton, QSizePolicy, QSpacerItem,
    QSpinBox, QSplitter, QTabWidget, QVBoxLayout,
    QWidget)

class Ui_SettingsDialog(object):
    def setupUi(self, SettingsDialog):
        if not SettingsDialog.objectName():
            SettingsDialog.setObjectName(u"SettingsDialog")
        SettingsDialog.resize(820, 540)
        self.verticalLayout = QVBoxLayout(SettingsDialog)
        self.verticalLayout.setObjectName(u"verticalLayout")
        self.tabs = QTabWidget(SettingsDialog)
        self.tabs.setObjectName(u"tabs")
        self.committeeTab = QWidget()
        self.committeeTab.setObjectName(u"committeeTab")
        self.committeeTabLayout = QVBoxLayout(self.committeeTab)
        self.committeeTabLayout.setObjectName(u"committeeTabLayout")
        self.committeeGroup = QGroupBox(self.committeeTab)
        self.committeeGroup.setObjectName(u"committeeGroup")
        self.committeeLayout = QFormLayout(self.committeeGroup)
        self.committeeLayout.setObjectName(u"committeeLayout")
        self.committeeLayout.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        self.committeeLabel = QLabel(self.committeeGroup)
        self.committeeLabel.setObjectName(u"committeeLabel")

        self.committeeLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.committeeLabel)

        self.committeeEdit = QLineEdit(self.committeeGroup)
        self.committeeEdit.setObjectName(u"committeeEdit")

        self.committeeLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.committeeEdit)

        self.chairLabel = QLabel(self.committeeGroup)
        self.chairLabel.setObjectName(u"chairLabel")

        self.committeeLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.chairLabel)

        self.chairEdit = QLineEdit(self.committeeGroup)
        self.chairEdit.setObjectName(u"chairEdit")

        self.committeeLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.chairEdit)

        self.chairRoleLabel = QLabel(self.committeeGroup)
        self.chairRoleLabel.setObjectName(u"chairRoleLabel")

        self.committeeLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.chairRoleLabel)

        self.chairRoleEdit = QLineEdit(self.committeeGroup)
        self.chairRoleEdit.setObjectName(u"chairRoleEdit")

        self.committeeLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.chairRoleEdit)

        self.clerkNameLabel = QLabel(self.committeeGroup)
        self.clerkNameLabel.setObjectName(u"clerkNameLabel")

        self.committeeLayout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.clerkNameLabel)

        self.clerkNameEdit = QLineEdit(self.committeeGroup)
        self.clerkNameEdit.setObjectName(u"clerkNameEdit")

        self.committeeLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.clerkNameEdit)

        self.clerkEmailLabel = QLabel(self.committeeGroup)
        self.clerkEmailLabel.setObjectName(u"clerkEmailLabel")

        self.committeeLayout.setWidget(4, QFormLayout.ItemRole.LabelRole, self.clerkEmailLabel)

        self.clerkEmailEdit = QLineEdit(self.committeeGroup)
        self.clerkEmailEdit.setObjectName(u"clerkEmailEdit")

        self.committeeLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.clerkEmailEdit)

        self.templateLabel = QLabel(self.committeeGroup)
        self.templateLabel.setObjectName(u"templateLabel")

        self.committeeLayout.setWidget(5, QFormLayout.ItemRole.LabelRole, self.templateLabel)

        self.templateLayout = QHBoxLayout()
        self.templateLayout.setObjectName(u"templateLayout")
        self.templateEdit = QLineEdit(self.committeeGroup)
        self.templateEdit.setObjectName(u"templateEdit")

        self.templateLayout.addWidget(self.templateEdit)

        self.templateButton = QPushButton(self.committeeGroup)
        self.templateButton.setObjectName(u"templateButton")

        self.templateLayout.addWidget(self.templateButton)


        self.committeeLayout.setLayout(5, QFormLayout.ItemRole.FieldRole, self.templateLayout)

        self.cadenceLabel = QLabel(self.committeeGroup)
        self.cadenceLabel.setObjectName(u"cadenceLabel")

        self.committeeLayout.setWidget(6, QFormLayout.ItemRole.LabelRole, self.cadenceLabel)

        self.cadenceLayout = QHBoxLayout()
        self.cadenceLayout.setObjectName(u"cadenceLayout")
        self.cadenceSpin = QSpinBox(self.committeeGroup)
        self.cadenceSpin.setObjectName(u"cadenceSpin")
        self.cadenceSpin.setMinimum(1)
        self.cadenceSpin.setMaximum(36)
        self.cadenceSpin.setValue(6)

        self.cadenceLayout.addWidget(self.cadenceSpin)

        self.cadenceSpacer = QSpacerItem(40, 20, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.cadenceLayout.addItem(self.cadenceSpacer)


        self.committeeLayout.setLayout(6, QFormLayout.ItemRole.FieldRole, self.cadenceLayout)


        self.committeeTabLayout.addWidget(self.committeeGroup)

        self.databaseGroup = QGroupBox(self.committeeTab)
        self.databaseGroup.setObjectName(u"databaseGroup")
        self.databaseLayout = QVBoxLayout(self.databaseGroup)
        self.databaseLayout.setObjectName(u"databaseLayout")
        self.laptopRadio = QRadioButton(self.databaseGroup)
        self.laptopRadio.setObjectName(u"laptopRadio")
        self.laptopRadio.setChecked(True)

        self.databaseLayout.addWidget(self.laptopRadio)

        self.databaseRow = QHBoxLayout()
        self.databaseRow.setObjectName(u"databaseRow")
        self.databaseEdit = QLineEdit(self.databaseGroup)
        self.databaseEdit.setObjectName(u"databaseEdit")
        self.databaseEdit.setReadOnly(True)

        self.databaseRow.addWidget(self.databaseEdit)

        self.databaseButton = QPushButton(self.databaseGroup)
        self.databaseButton.setObjectName(u"databaseButton")

        self.databaseRow.addWidget(self.databaseButton)


        self.databaseLayout.addLayout(self.databaseRow)

        self.teamRadio = QRadioButton(self.databaseGroup)
        self.teamRadio.setObjectName(u"teamRadio")

        self.databaseLayout.addWidget(self.teamRadio)

        self.teamForm = QFormLayout()
        self.teamForm.setObjectName(u"teamForm")
        self.teamUrlLabel = QLabel(self.databaseGroup)
        self.teamUrlLabel.setObjectName(u"teamUrlLabel")

        self.teamForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.teamUrlLabel)

        self.teamUrlEdit = QLineEdit(self.databaseGroup)
        self.teamUrlEdit.setObjectName(u"teamUrlEdit")

        self.teamForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.teamUrlEdit)

        self.teamPasswordLabel = QLabel(self.databaseGroup)
        self.teamPasswordLabel.setObjectName(u"teamPasswordLabel")

        self.teamForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.teamPasswordLabel)

        self.teamPasswordRow = QHBoxLayout()
        self.teamPasswordRow.setObjectName(u"teamPasswordRow")
        self.teamPasswordEdit = QLineEdit(self.databaseGroup)
        self.teamPasswordEdit.setObjectName(u"teamPasswordEdit")
        self.teamPasswordEdit.setEchoMode(QLineEdit.Password)

        self.teamPasswordRow.addWidget(self.teamPasswordEdit)

        self.testButton = QPushButton(self.databaseGroup)
        self.testButton.setObjectName(u"testButton")

        self.teamPasswordRow.addWidget(self.testButton)


        self.teamForm.setLayout(1, QFormLayout.ItemRole.FieldRole, self.teamPasswordRow)


        self.databaseLayout.addLayout(self.teamForm)

        self.connectionLabel = QLabel(self.databaseGroup)
        self.connectionLabel.setObjectName(u"connectionLabel")
        self.connectionLabel.setWordWrap(True)

        self.databaseLayout.addWidget(self.connectionLabel)

        self.keyringNote = QLabel(self.databaseGroup)
        self.keyringNote.setObjectName(u"keyringNote")
        self.keyringNote.setWordWrap(True)

        self.databaseLayout.addWidget(self.keyringNote)

        self.databaseNote = QLabel(self.databaseGroup)
        self.databaseNote.setObjectName(u"databaseNote")
        self.databaseNote.setWordWrap(True)

        self.databaseLayout.addWidget(self.databaseNote)


        self.committeeTabLayout.addWidget(self.databaseGroup)

        self.committeeTabSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.committeeTabLayout.addItem(self.committeeTabSpacer)

        self.tabs.addTab(self.committeeTab, "")
        self.wordingTab = QWidget()
        self.wordingTab.setObjectName(u"wordingTab")
        self.wordingTabLayout = QVBoxLayout(self.wordingTab)
        self.wordingTabLayout.setObjectName(u"wordingTabLayout")
        self.wordingIntro = QLabel(self.wordingTab)
        self.wordingIntro.setObjectName(u"wordingIntro")
        self.wordingIntro.setWordWrap(True)

        self.wordingTabLayout.addWidget(self.wordingIntro)

        self.wordingSplitter = QSplitter(self.wordingTab)
        self.wordingSplitter.setObjectName(u"wordingSplitter")
        self.wordingSplitter.setOrientation(Qt.Horizontal)
        self.wordingSplitter.setChildrenCollapsible(False)
        self.wordingList = QListWidget(self.wordingSplitter)
        self.wordingList.setObjectName(u"wordingList")
        self.wordingList.setMinimumSize(QSize(290, 0))
        self.wordingSplitter.addWidget(self.wordingList)
        self.wordingPane = QWidget(self.wordingSplitter)
        self.wordingPane.setObjectName(u"wordingPane")
        self.wordingPaneLayout = QVBoxLayout(self.wordingPane)
        self.wordingPaneLayout.setObjectName(u"wordingPaneLayout")
        self.wordingPaneLayout.setContentsMargins(0, 0, 0, 0)
        self.wordingTitle = QLabel(self.wordingPane)
        self.wordingTitle.setObjectName(u"wordingTitle")
        self.wordingTitle.setStyleSheet(u"font-weight: bold;")
        self.wordingTitle.setWordWrap(True)

        self.wordingPaneLayout.addWidget(self.wordingTitle)

        self.wordingEdit = QPlainTextEdit(self.wordingPane)
        self.wordingEdit.setObjectName(u"wordingEdit")
        self.wordingEdit.setTabChangesFocus(True)

        self.wordingPaneLayout.addWidget(self.wordingEdit)

        self.placeholdersLabel = QLabel(self.wordingPane)
        self.placeholdersLabel.setObjectName(u"placeholdersLabel")
        self.placeholdersLabel.setWordWrap(True)
        self.placeholdersLabel.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.wordingPaneLayout.addWidget(self.placeholdersLabel)

        self.wordingButtons = QHBoxLayout()
        self.wordingButtons.setObjectName(u"wordingButtons")
        self.wordingState = QLabel(self.wordingPane)
        self.wordingState.setObjectName(u"wordingState")
        self.wordingState.setWordWrap(True)

        self.wordingButtons.addWidget(self.wordingState)

        self.restoreButton = QPushButton(self.wordingPane)
        self.restoreButton.setObjectName(u"restoreButton")

        self.wordingButtons.addWidget(self.restoreButton)


        self.wordingPaneLayout.addLayout(self.wordingButtons)

        self.wordingSplitter.addWidget(self.wordingPane)

        self.wordingTabLayout.addWidget(self.wordingSplitter)

        self.tabs.addTab(self.wordingTab, "")

        self.verticalLayout.addWidget(self.tabs)

        self.problemLabel = QLabel(SettingsDialog)
        self.problemLabel.setObjectName(u"problemLabel")
        self.problemLabel.setStyleSheet(u"color: #b91c1c;")
        self.problemLabel.setWordWrap(True)

        self.verticalLayout.addWidget(self.problemLabel)

        self.buttonBox = QDialogButtonBox(SettingsDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.Cancel|QDialogButtonBox.Save)

        self.verticalLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.committeeLabel.setBuddy(self.committeeEdit)
        self.chairLabel.setBuddy(self.chairEdit)
        self.chairRoleLabel.setBuddy(self.chairRoleEdit)
        self.clerkNameLabel.setBuddy(self.clerkNameEdit)
        self.clerkEmailLabel.setBuddy(self.clerkEmailEdit)
        self.templateLabel.setBuddy(self.templateEdit)
        self.cadenceLabel.setBuddy(self.cadenceSpin)
        self.teamUrlLabel.setBuddy(self.teamUrlEdit)
        self.teamPasswordLabel.setBuddy(self.teamPasswordEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.tabs, self.committeeEdit)
        QWidget.setTabOrder(self.committeeEdit, self.chairEdit)
        QWidget.setTabOrder(self.chairEdit, self.chairRoleEdit)
        QWidget.setTabOrder(self.chairRoleEdit, self.clerkNameEdit)
        QWidget.setTabOrder(self.clerkNameEdit, self.clerkEmailEdit)
        QWidget.setTabOrder(self.clerkEmailEdit, self.templateEdit)
        QWidget.setTabOrder(self.templateEdit, self.templateButton)
        QWidget.setTabOrder(self.templateButton, self.cadenceSpin)
        QWidget.setTabOrder(self.cadenceSpin, self.laptopRadio)
        QWidget.setTabOrder(self.laptopRadio, self.databaseButton)
        QWidget.setTabOrder(self.databaseButton, self.teamRadio)
        QWidget.setTabOrder(self.teamRadio, self.teamUrlEdit)
        QWidget.setTabOrder(self.teamUrlEdit, self.teamPasswordEdit)
        QWidget.setTabOrder(self.teamPasswordEdit, self.testButton)
        QWidget.setTabOrder(self.testButton, self.wordingList)
        QWidget.setTabOrder(self.wordingList, self.wordingEdit)
        QWidget.setTabOrder(self.wordingEdit, self.restoreButton)

        self.retranslateUi(SettingsDialog)

        self.tabs.setCurrentIndex(0)

    # setupUi

    def retranslateUi(self, SettingsDialog):
        SettingsDialog.setWindowTitle(QCoreApplication.translate("SettingsDialog", u"Settings", None))
#if QT_CONFIG(accessibility)
        self.tabs.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Settings pages", None))
#endif // QT_CONFIG(accessibility)
        self.committeeGroup.setTitle(QCoreApplication.translate("SettingsDialog", u"The Committee (used in letters; kept in the register)", None))
        self.committeeLabel.setText(QCoreApplication.translate("SettingsDialog", u"&Committee name:", None))
#if QT_CONFIG(accessibility)
        self.committeeEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Committee name", None))
#endif // QT_CONFIG(accessibility)
        self.chairLabel.setText(QCoreApplication.translate("SettingsDialog", u"C&hair:", None))
#if QT_CONFIG(accessibility)
        self.chairEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Chair's name", None))
#endif // QT_CONFIG(accessibility)
        self.chairRoleLabel.setText(QCoreApplication.translate("SettingsDialog", u"Chair's &role:", None))
#if QT_CONFIG(accessibility)
        self.chairRoleEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Chair's role", None))
#endif // QT_CONFIG(accessibility)
        self.clerkNameLabel.setText(QCoreApplication.translate("SettingsDialog", u"C&lerk:", None))
#if QT_CONFIG(accessibility)
        self.clerkNameEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Clerk's name", None))
#endif // QT_CONFIG(accessibility)
        self.clerkEmailLabel.setText(QCoreApplication.translate("SettingsDialog", u"Clerk's &email:", None))
#if QT_CONFIG(accessibility)
        self.clerkEmailEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Clerk's email", None))
#endif // QT_CONFIG(accessibility)
        self.templateLabel.setText(QCoreApplication.translate("SettingsDialog", u"Letterhead &template:", None))
#if QT_CONFIG(accessibility)
        self.templateEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Letterhead template file", None))
#endif // QT_CONFIG(accessibility)
        self.templateEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"The template shipped with PCC Desk", None))
        self.templateButton.setText(QCoreApplication.translate("SettingsDialog", u"&Browse\u2026", None))
#if QT_CONFIG(accessibility)
        self.templateButton.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Choose the letterhead template", None))
#endif // QT_CONFIG(accessibility)
        self.cadenceLabel.setText(QCoreApplication.translate("SettingsDialog", u"Progress &updates every:", None))
#if QT_CONFIG(accessibility)
        self.cadenceSpin.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Months between progress updates", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(tooltip)
        self.cadenceSpin.setToolTip(QCoreApplication.translate("SettingsDialog", u"How long after the latest response or update the next progress update is due, for an accepted ask not yet reported done", None))
#endif // QT_CONFIG(tooltip)
        self.cadenceSpin.setSuffix(QCoreApplication.translate("SettingsDialog", u" months", None))
        self.databaseGroup.setTitle(QCoreApplication.translate("SettingsDialog", u"Register", None))
        self.laptopRadio.setText(QCoreApplication.translate("SettingsDialog", u"&This laptop (a file kept on this computer)", None))
#if QT_CONFIG(accessibility)
        self.databaseEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Database file in use", None))
#endif // QT_CONFIG(accessibility)
        self.databaseButton.setText(QCoreApplication.translate("SettingsDialog", u"Chan&ge\u2026", None))
#if QT_CONFIG(accessibility)
        self.databaseButton.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Choose another database file", None))
#endif // QT_CONFIG(accessibility)
        self.teamRadio.setText(QCoreApplication.translate("SettingsDialog", u"T&eam register (PostgreSQL, shared by the clerks)", None))
        self.teamUrlLabel.setText(QCoreApplication.translate("SettingsDialog", u"&Address:", None))
        self.teamUrlEdit.setPlaceholderText(QCoreApplication.translate("SettingsDialog", u"postgresql+psycopg://alice@server.example/pcc_register", None))
#if QT_CONFIG(accessibility)
        self.teamUrlEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Team register address", None))
#endif // QT_CONFIG(accessibility)
        self.teamPasswordLabel.setText(QCoreApplication.translate("SettingsDialog", u"&Password:", None))
#if QT_CONFIG(accessibility)
        self.teamPasswordEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Team register password", None))
#endif // QT_CONFIG(accessibility)
        self.testButton.setText(QCoreApplication.translate("SettingsDialog", u"Test &connection", None))
#if QT_CONFIG(accessibility)
        self.testButton.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Test the connection to the team register", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.connectionLabel.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"What the connection test found", None))
#endif // QT_CONFIG(accessibility)
        self.databaseNote.setText(QCoreApplication.translate("SettingsDialog", u"PCC Desk opens the register chosen here when you save, and at every start.", None))
        self.tabs.setTabText(self.tabs.indexOf(self.committeeTab), QCoreApplication.translate("SettingsDialog", u"The Co&mmittee", None))
        self.wordingIntro.setText(QCoreApplication.translate("SettingsDialog", u"The fixed paragraphs of a follow-up letter. Choose one, change its text, and write the {placeholders} it may use exactly as shown: each is filled in when a letter is drafted. Paragraphs in the Committee's own words are marked \u270e.", None))
#if QT_CONFIG(accessibility)
        self.wordingList.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Paragraphs of a letter", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.wordingEdit.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Text of the paragraph", None))
#endif // QT_CONFIG(accessibility)
#if QT_CONFIG(accessibility)
        self.placeholdersLabel.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Placeholders this paragraph may use", None))
#endif // QT_CONFIG(accessibility)
        self.restoreButton.setText(QCoreApplication.translate("SettingsDialog", u"Restore &default", None))
#if QT_CONFIG(accessibility)
        self.restoreButton.setAccessibleName(QCoreApplication.translate("SettingsDialog", u"Restore the default text of this paragraph", None))
#endif // QT_CONFIG(accessibility)
        self.tabs.setTabText(self.tabs.indexOf(self.wordingTab), QCoreApplication.translate("SettingsDialog", u"Letter &wording", None))
    # retranslateUi

